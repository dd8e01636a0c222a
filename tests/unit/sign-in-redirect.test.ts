/**
 * Where sign-in goes next (site/src/seller/session.ts): only a path on the site's own origin,
 * decided by URL parsing. Each hostile value is written as it arrives, after one URL decoding of
 * the `next` query parameter.
 */
import { describe, expect, it } from 'vitest';
import { sameOriginPath } from '../../site/src/seller/session.ts';

const ORIGIN = 'https://sanocop.example';

describe('sameOriginPath', () => {
  it.each([
    ['/ban-hang/san-pham/', '/ban-hang/san-pham/'],
    ['/hop-tac-xa/?tab=members#queue', '/hop-tac-xa/?tab=members#queue'],
    ['/ban-hang/../quan-tri/', '/quan-tri/'],
    ['/%5Cevil.example', '/%5Cevil.example'],
  ])('keeps the same-origin path %j', (value, expected) => {
    expect(sameOriginPath(value, ORIGIN)).toBe(expected);
  });

  it.each([
    '/\\evil.example',
    '/\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '//evil.example',
    '//evil.example/ban-hang/',
    '///evil.example',
    '/\\/evil.example',
    'https:evil.example',
    'https://evil.example',
    'http:/evil.example',
    'javascript:alert(document.domain)',
    ' javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '\\\\evil.example',
    'evil.example',
    '%2F%2Fevil.example',
    '',
    null,
  ])('refuses %j', (value) => {
    expect(sameOriginPath(value, ORIGIN)).toBeNull();
  });
});
