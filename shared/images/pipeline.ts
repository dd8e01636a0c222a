/**
 * The photo pipeline, shared by the media function (AWS), the local runtime and the demo seed.
 * An upload is untrusted bytes: it is identified by its magic bytes (never by name or declared
 * type), its declared dimensions are checked before any pixel is decoded, it is decoded once
 * (auto-rotated, flattened, converted to sRGB, downscaled to the largest rendition), and every
 * rendition is encoded from that intermediate. Nothing of the original file is copied: EXIF
 * (GPS position, camera serial), XMP, ICC and anything appended after the image are gone.
 */
import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from 'sharp';
import { IMAGE_FORMATS, IMAGE_WIDTHS, mediaPath, type ImageFormat } from '../domain/catalog-view.ts';
import { invalid } from '../domain/errors.ts';

export const IMAGE_LIMITS = {
  maxBytes: 15 * 1024 * 1024,
  maxPixels: 40_000_000,
  /** Longer side over shorter side; beyond this the renditions become strips no page can use. */
  maxAspectRatio: 5,
} as const;

/** Where renditions go: a folder locally, the media bucket in AWS. */
export interface MediaStore {
  /** `path` is relative to the media root, e.g. `products/p1/ph1/320.avif`. */
  put(path: string, body: Buffer, contentType: string): Promise<void>;
}

export interface ProcessedImage {
  key: string;
  /** Of the largest rendition, for the width/height attributes of <img>. */
  width: number;
  height: number;
  /** Paths relative to the media root, sorted. */
  renditions: string[];
}

export const CONTENT_TYPE: Record<ImageFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
};

/** What the magic bytes say; `heif` covers AVIF and HEIC (both ISO-BMFF `ftyp` files). */
export type SniffedFormat = 'jpeg' | 'png' | 'webp' | 'heif';

// ISO-BMFF major brands of still images: AVIF (AV1) and HEIF/HEIC (HEVC, told apart after parsing).
const HEIF_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

/** The image format from the first bytes of a file, or undefined for anything else (SVG, GIF, text, PDF…). */
export function sniffImageFormat(bytes: Uint8Array): SniffedFormat | undefined {
  const ascii = (start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString('latin1');
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 12 && ascii(4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(8, 12))) return 'heif';
  return undefined;
}

export const IMAGE_ERRORS = {
  tooLarge: () => invalid('image.too_large', 'Ảnh quá lớn (tối đa 15 MB) / Image larger than 15 MB'),
  unsupported: () =>
    invalid(
      'image.unsupported',
      'Chỉ nhận ảnh JPEG, PNG, WebP hoặc AVIF / Only JPEG, PNG, WebP or AVIF images are accepted',
    ),
  heic: () =>
    invalid(
      'image.heic_unsupported',
      'Ảnh HEIC chưa được hỗ trợ: hãy chọn ảnh JPEG (trên iPhone: Cài đặt → Camera → Định dạng → Tương thích nhất) / HEIC is not supported yet: please choose a JPEG',
    ),
  tooManyPixels: (width?: number, height?: number) =>
    invalid(
      'image.too_many_pixels',
      `Ảnh quá 40 megapixel${width && height ? ` (${width}×${height})` : ''}: hãy chọn ảnh nhỏ hơn / Image over 40 megapixels: please choose a smaller one`,
    ),
  badShape: () =>
    invalid(
      'image.bad_shape',
      'Ảnh quá dài hoặc quá hẹp (tối đa 5:1) / Image too long or too narrow (at most 5:1)',
    ),
  corrupt: () =>
    invalid(
      'image.corrupt',
      'Tệp ảnh bị hỏng hoặc chưa tải lên hết: hãy tải lên lại / The image is damaged or incomplete: please upload it again',
    ),
};

/**
 * Encoder settings, tuned against the budgets (tests/bench/images.ts): AVIF at most half the
 * bytes of JPEG q80 at the same width, the 320 px AVIF of a product photo at most 25 KB, the
 * whole set of a 12 MP photo within 3 s of one core. AVIF quality 45 gives 0.36–0.43 of JPEG q80
 * on real and generated photos (quality 50 gave 0.44–0.55: over budget on textured pictures).
 * Effort 2 encodes ~7× faster than the default effort 4 at a similar size; 4:2:0 chroma (sharp's
 * AVIF default is 4:4:4) is another 5–10 % smaller with no visible change in photos.
 */
export function encodeRendition(image: Sharp, format: ImageFormat): Sharp {
  if (format === 'avif') return image.avif({ quality: 45, effort: 2, chromaSubsampling: '4:2:0' });
  if (format === 'webp') return image.webp({ quality: 78, effort: 4 });
  return image.jpeg({ quality: 80, mozjpeg: true });
}

/** Options every decode of untrusted bytes gets. */
const UNTRUSTED: SharpOptions = {
  // sharp checks the header's width × height against this before it allocates anything.
  limitInputPixels: IMAGE_LIMITS.maxPixels,
  // A truncated file is an error, not a picture with a grey bottom half; milder libjpeg warnings
  // (extraneous bytes before a marker, which some phones write) are not.
  failOn: 'truncated',
  // Only the first frame of an animated WebP or a multi-image HEIF.
  pages: 1,
};

/**
 * Reads the header only (no pixel is decoded) and checks format, dimensions and shape.
 * Throws a 4xx DomainError for anything that is not an acceptable image.
 */
export async function inspectImage(input: Buffer): Promise<Metadata & { width: number; height: number }> {
  if (input.byteLength > IMAGE_LIMITS.maxBytes) throw IMAGE_ERRORS.tooLarge();
  const sniffed = sniffImageFormat(input);
  if (!sniffed) throw IMAGE_ERRORS.unsupported();
  let meta: Metadata;
  try {
    // metadata() parses the header and decodes no pixels, so it may see a bomb's declared size;
    // without sharp's own limit here, the refusal below can tell the seller the dimensions.
    meta = await sharp(input, { ...UNTRUSTED, limitInputPixels: false }).metadata();
  } catch {
    throw IMAGE_ERRORS.corrupt();
  }
  // The parser must agree with the magic bytes: a PNG header on a JPEG body is not an image we take.
  if (meta.format !== sniffed) throw IMAGE_ERRORS.unsupported();
  if (sniffed === 'heif' && meta.compression !== 'av1') throw IMAGE_ERRORS.heic();
  const { width, height } = meta;
  if (!width || !height) throw IMAGE_ERRORS.corrupt();
  if (width * height > IMAGE_LIMITS.maxPixels) throw IMAGE_ERRORS.tooManyPixels(width, height);
  if (Math.max(width, height) / Math.min(width, height) > IMAGE_LIMITS.maxAspectRatio) {
    throw IMAGE_ERRORS.badShape();
  }
  return { ...meta, width, height };
}

/**
 * Validates an upload and writes every rendition under `key` (a media key such as
 * `products/<productId>/<photoId>`). Throws a 4xx DomainError on bad input; anything else that
 * throws is unexpected (a store that failed, say) and worth a retry.
 */
export async function processImage(input: Buffer, key: string, store: MediaStore): Promise<ProcessedImage> {
  await inspectImage(input);

  // Decode once: orient, drop alpha onto white (JPEG has none, and the three formats must look
  // the same whichever one the browser picks), convert to 8-bit sRGB, and shrink to the largest
  // rendition. JPEG shrink-on-load makes this cheap for camera photos; the smaller renditions
  // come from this intermediate instead of decoding the original again.
  const largest = IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1]!;
  let intermediate: { data: Buffer; info: OutputInfo };
  try {
    intermediate = await sharp(input, { ...UNTRUSTED, autoOrient: true })
      .resize({ width: largest, withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch {
    // The header was fine (checked above), so a failure here is in the pixel data: truncated,
    // or damaged in a way the decoder cannot get past.
    throw IMAGE_ERRORS.corrupt();
  }
  const { data, info } = intermediate;
  const raw = { width: info.width, height: info.height, channels: info.channels };

  const results = await Promise.allSettled(
    IMAGE_WIDTHS.flatMap((width) =>
      IMAGE_FORMATS.map(async (format) => {
        const resized = sharp(data, { raw }).resize({ width, withoutEnlargement: true });
        const body = await encodeRendition(resized, format).toBuffer();
        const path = mediaPath(key, width, format).replace(/^\/media\//, '');
        await store.put(path, body, CONTENT_TYPE[format]);
        return path;
      }),
    ),
  );
  // allSettled, not all: when one write fails, the others have finished before the error leaves
  // (a Lambda invocation must not end with work still running into the next one).
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const renditions = results.map((r) => (r as PromiseFulfilledResult<string>).value);
  return { key, width: info.width, height: info.height, renditions: renditions.sort() };
}
