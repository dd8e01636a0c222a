/**
 * The photo routes' refusals say the same words as the seller center's table, which the
 * producers function does not bundle (shared/seller/photos.ts).
 */
import { describe, expect, it } from 'vitest';
import { SELLER_MESSAGES } from '../../shared/domain/seller-messages.ts';
import { PHOTO_MESSAGES } from '../../shared/seller/photos.ts';

describe('the photo routes’ messages', () => {
  it.each(Object.keys(PHOTO_MESSAGES) as (keyof typeof PHOTO_MESSAGES)[])(
    '%s matches SELLER_MESSAGES',
    (code) => {
      expect(PHOTO_MESSAGES[code]).toBe(SELLER_MESSAGES[code]);
    },
  );
});
