import { describe, expect, it } from 'vitest';
import { fitWithin, formatBytes, SEND_LONGEST_SIDE } from '../../site/src/seller/photos.ts';

describe('the size a photo is sent at from the phone', () => {
  it('brings the longest side of a camera photo to 2,048 px, keeping its shape', () => {
    expect(SEND_LONGEST_SIDE).toBe(2048);
    expect(fitWithin(4000, 3000)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1536, height: 2048 });
    expect(fitWithin(4032, 1908)).toEqual({ width: 2048, height: 969 });
  });

  it('never enlarges a small photo', () => {
    expect(fitWithin(1200, 900)).toEqual({ width: 1200, height: 900 });
  });

  it('says sizes the Vietnamese way', () => {
    expect(formatBytes(5.1 * 1024 * 1024)).toBe('5,1 MB');
    expect(formatBytes(380 * 1024)).toBe('380 KB');
  });
});
