/**
 * The photo pipeline on acceptable input: which files are recognised, what comes out (nine
 * renditions, right formats, widths, no enlargement), and what is never copied from the original.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IMAGE_FORMATS, IMAGE_WIDTHS } from '../../shared/domain/catalog-view.ts';
import { processImage, sniffImageFormat } from '../../shared/images/pipeline.ts';
import { processUpload } from '../../shared/images/upload.ts';
import { exifHasGps, FIXTURE_CAMERA, photoJpeg, rotatedJpegWithGps } from '../fixtures/images/generate.ts';
import { memoryStore } from '../fixtures/images/memory-store.ts';

const EXTENSION = { avif: 'avif', webp: 'webp', jpeg: 'jpg' } as const;
const SHARP_FORMAT = { avif: 'heif', webp: 'webp', jpeg: 'jpeg' } as const;

async function expectFullSet(
  store: ReturnType<typeof memoryStore>,
  key: string,
  width: number,
  height: number,
) {
  expect([...store.files.keys()].sort()).toEqual(
    IMAGE_WIDTHS.flatMap((w) => IMAGE_FORMATS.map((f) => `${key}/${w}.${EXTENSION[f]}`)).sort(),
  );
  for (const w of IMAGE_WIDTHS) {
    for (const format of IMAGE_FORMATS) {
      const file = store.files.get(`${key}/${w}.${EXTENSION[format]}`)!;
      expect(file.contentType).toBe(`image/${format}`);
      const meta = await sharp(file.body).metadata();
      expect(meta.format, `${w}.${format}`).toBe(SHARP_FORMAT[format]);
      // No enlargement: a rendition is never wider than the picture.
      expect(meta.width, `${w}.${format}`).toBe(Math.min(w, width));
      expect(meta.height, `${w}.${format}`).toBe(Math.round((height * Math.min(w, width)) / width));
    }
  }
}

describe('sniffImageFormat', () => {
  it('recognises JPEG, PNG, WebP and AVIF/HEIF by their first bytes, and nothing else', async () => {
    const tiny = sharp({ create: { width: 4, height: 4, channels: 3, background: '#2a7a3a' } });
    expect(sniffImageFormat(await tiny.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await tiny.clone().png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await tiny.clone().webp().toBuffer())).toBe('webp');
    expect(sniffImageFormat(await tiny.clone().avif().toBuffer())).toBe('heif');
    expect(sniffImageFormat(await tiny.clone().gif().toBuffer())).toBeUndefined();
    expect(sniffImageFormat(await tiny.clone().tiff().toBuffer())).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('%PDF-1.7'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8]))).toBeUndefined();
  });
});

describe('processImage', () => {
  it('turns a camera JPEG into AVIF, WebP and JPEG at 320, 640 and 1280 px', async () => {
    const store = memoryStore();
    const result = await processImage(await photoJpeg(1600, 1200), 'products/p1/ph1', store);
    expect(result).toMatchObject({ key: 'products/p1/ph1', width: 1280, height: 960 });
    expect(result.renditions).toHaveLength(9);
    await expectFullSet(store, 'products/p1/ph1', 1600, 1200);
  });

  it('never enlarges a small picture', async () => {
    const store = memoryStore();
    const result = await processImage(await photoJpeg(500, 375), 'k', store);
    expect(result).toMatchObject({ width: 500, height: 375 });
    await expectFullSet(store, 'k', 500, 375);
  });

  it('accepts PNG (with transparency, flattened onto white), WebP, AVIF and 16-bit greyscale', async () => {
    const transparent = await sharp({
      create: { width: 700, height: 500, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const store = memoryStore();
    await processImage(transparent, 'png', store);
    const { data } = await sharp(store.files.get('png/320.jpg')!.body)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(Math.min(...data.subarray(0, 300))).toBeGreaterThan(240); // white, not black

    const photo = await photoJpeg(900, 600);
    for (const [name, input] of [
      ['webp', await sharp(photo).webp().toBuffer()],
      ['avif', await sharp(photo).avif({ effort: 0 }).toBuffer()],
      ['grey16', await sharp(photo).greyscale().png().toColourspace('grey16').toBuffer()],
    ] as const) {
      const out = memoryStore();
      await expect(processImage(input, name, out), name).resolves.toMatchObject({ width: 900, height: 600 });
      await expectFullSet(out, name, 900, 600);
    }
  });

  it('builds the ImageRef of an upload from its product and photo ids', async () => {
    const store = memoryStore();
    const image = await processUpload(await photoJpeg(2000, 1500), 'product-1', 'photo-1', store, 'Chè nõn');
    expect(image).toEqual({ key: 'products/product-1/photo-1', alt: 'Chè nõn', width: 1280, height: 960 });
    expect(store.files.has('products/product-1/photo-1/640.avif')).toBe(true);
  });
});

describe('orientation and metadata', () => {
  it('turns a photo taken in portrait upright (EXIF orientation 6)', async () => {
    const input = await rotatedJpegWithGps();
    const inputMeta = await sharp(input).metadata();
    expect([inputMeta.width, inputMeta.height, inputMeta.orientation]).toEqual([400, 300, 6]);

    const store = memoryStore();
    const result = await processImage(input, 'upright', store);
    expect([result.width, result.height]).toEqual([300, 400]);
    for (const format of IMAGE_FORMATS) {
      const { data, info } = await sharp(store.files.get(`upright/320.${EXTENSION[format]}`)!.body)
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height], format).toEqual([300, 400]);
      const pixel = (x: number, y: number) => [...data.subarray((y * 300 + x) * 3, (y * 300 + x) * 3 + 3)];
      // The red band is at the top once upright; the bottom is green.
      const [r, g] = pixel(150, 20);
      expect(r!, format).toBeGreaterThan(200);
      expect(g!, format).toBeLessThan(60);
      const [r2, g2] = pixel(150, 380);
      expect(r2!, format).toBeLessThan(100);
      expect(g2!, format).toBeGreaterThan(90);
    }
  });

  it('strips EXIF (GPS position, camera), XMP and ICC from every rendition', async () => {
    const input = await rotatedJpegWithGps();
    const inputMeta = await sharp(input).metadata();
    expect(exifHasGps(inputMeta.exif)).toBe(true);
    expect(input.includes(Buffer.from(FIXTURE_CAMERA))).toBe(true);

    const store = memoryStore();
    await processImage(input, 'clean', store);
    expect(store.files.size).toBe(9);
    for (const [path, { body }] of store.files) {
      const meta = await sharp(body).metadata();
      expect(meta.exif, path).toBeUndefined();
      expect(exifHasGps(meta.exif), path).toBe(false);
      expect(meta.xmp, path).toBeUndefined();
      expect(meta.icc, path).toBeUndefined();
      expect(meta.orientation ?? 1, path).toBe(1);
      expect(body.includes(Buffer.from(FIXTURE_CAMERA)), path).toBe(false);
      expect(body.includes(Buffer.from('TeaCam')), path).toBe(false);
    }
  });
});
