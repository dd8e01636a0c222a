/**
 * Photo upload: shrink the photo on the phone (longest side 2,048 px, JPEG), ask the API for an
 * upload slot, PUT the file there with XMLHttpRequest (so the progress bar moves), then poll
 * until the photo is processed ('ready': show it) or 'failed' (show why). The server's pipeline
 * (sharp) stays the judge of what is accepted and makes the renditions. Used for product photos
 * and OCOP certificate scans.
 */
import { messageForCode, sellerMessage } from '../../../shared/domain/seller-messages.ts';
import { api, ApiError, enc } from './api.ts';
import { fill, h } from './dom.ts';
import { mediaUrl } from './labels.ts';
import type { PhotoStatus } from './types.ts';

/** What the API accepts (PHOTO_CONTENT_TYPES in shared/domain/seller.ts). */
const TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/heic'] as const;
const MAX_BYTES = 15 * 1024 * 1024;
const BY_EXTENSION: Record<string, (typeof TYPES)[number]> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  heif: 'image/heic',
};

/** The content type to declare, or an error to show before anything is sent. */
export function checkPhoto(file: File): { contentType: (typeof TYPES)[number] } | { error: string } {
  const declared = file.type === 'image/heif' ? 'image/heic' : file.type;
  const contentType = (TYPES as readonly string[]).includes(declared)
    ? (declared as (typeof TYPES)[number])
    : BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''];
  if (!contentType) {
    return { error: sellerMessage('photo.unsupported') };
  }
  if (contentType === 'image/heic') {
    // The photo pipeline cannot decode HEVC yet (shared/images/pipeline.ts): say so before uploading.
    return { error: sellerMessage('image.heic_unsupported') };
  }
  if (file.size === 0) return { error: sellerMessage('photo.empty') };
  if (file.size > MAX_BYTES) {
    return {
      error: `Ảnh nặng ${(file.size / 1024 / 1024).toFixed(1)} MB, tối đa 15 MB. Hãy chụp lại ở chất lượng thấp hơn.`,
    };
  }
  return { contentType };
}

/** The longest side a photo is sent with: the largest rendition is 1,280 px, zoom needs a margin. */
export const SEND_LONGEST_SIDE = 2048;
const SEND_QUALITY = 0.85;
/** Photos already this small in bytes and pixels are sent as they are. */
const SMALL_ENOUGH_BYTES = 600 * 1024;

/** The size to draw at: the longest side at most `longest`, never enlarged. */
export function fitWithin(width: number, height: number, longest = SEND_LONGEST_SIDE) {
  const scale = Math.min(1, longest / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * A camera photo made fit to send over a slow network: decoded with its EXIF rotation applied,
 * drawn at most 2,048 px on its longest side and encoded as JPEG. Anything the browser cannot
 * do (an old phone, an image it cannot decode) sends the original: the server decides.
 */
export async function shrinkPhoto(file: File): Promise<File> {
  if (!/^image\/(jpeg|png|webp)$/.test(file.type) || typeof createImageBitmap !== 'function') return file;
  let bitmap: ImageBitmap | undefined;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const size = fitWithin(bitmap.width, bitmap.height);
    if (size.width === bitmap.width && size.height === bitmap.height && file.size <= SMALL_ENOUGH_BYTES)
      return file;
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const context = canvas.getContext('2d');
    if (!context) return file;
    context.fillStyle = '#fff'; // a transparent PNG gets a white background, not black
    context.fillRect(0, 0, size.width, size.height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    const blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, 'image/jpeg', SEND_QUALITY),
    );
    if (!blob || blob.size >= file.size) return file;
    const name = `${file.name.replace(/\.[^.]+$/, '') || 'anh'}.jpg`;
    return new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified });
  } catch {
    return file;
  } finally {
    bitmap?.close();
  }
}

/** "5,1 MB", "380 KB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} MB`
    : `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('vi-VN')} KB`;
}

interface UploadSlot {
  photoId: string;
  upload: { method: 'PUT' | string; url: string; headers?: Record<string, string> };
}

/** Sends a photo (or a queued one, already small) to its upload slot, reporting progress. */
export function putWithProgress(
  slot: UploadSlot,
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return put(slot, file, onProgress);
}

function put(slot: UploadSlot, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(slot.upload.method || 'PUT', slot.upload.url);
    for (const [name, value] of Object.entries(slot.upload.headers ?? {})) {
      // The browser sets Content-Length and Host itself.
      if (!/^(content-length|host)$/i.test(name)) xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
        return;
      }
      let code = 'upload.failed';
      try {
        const body = JSON.parse(xhr.responseText) as { error?: { code?: string } };
        if (body.error?.code) code = body.error.code;
      } catch {
        // S3 answers XML; keep the plain words
      }
      const message =
        code === 'upload.failed'
          ? `${sellerMessage('upload.failed')} (mã ${xhr.status})`
          : messageForCode(code, xhr.status);
      reject(new ApiError(xhr.status, code, message));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', sellerMessage('network')));
    xhr.send(file);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitProcessed(productId: string, photoId: string, onStatus: (s: PhotoStatus) => void) {
  const started = Date.now();
  let delay = 700;
  for (;;) {
    const status = await api<PhotoStatus>(`/api/seller/products/${enc(productId)}/photos/${enc(photoId)}`);
    onStatus(status);
    if (status.status === 'ready' || status.status === 'failed') return status;
    if (Date.now() - started > 120_000) {
      throw new ApiError(0, 'photo.timeout', sellerMessage('photo.timeout'));
    }
    await sleep(delay);
    delay = Math.min(delay * 1.5, 3000);
  }
}

export interface UploadOutcome {
  photoId: string;
  status: PhotoStatus;
}

/**
 * Uploads one file and renders its progress into `row` (a <li>): progress bar, processing
 * state, then the processed image or the reason it failed.
 */
export async function uploadPhoto(
  productId: string,
  original: File,
  alt: string | undefined,
  row: HTMLElement,
  purpose: 'product' | 'certificate_scan' = 'product',
): Promise<UploadOutcome | null> {
  let file = original;
  const checked = checkPhoto(file);
  const name = h('p', { class: 'upload__name' }, file.name || 'Ảnh');
  const status = h('p', { class: 'upload__status', role: 'status' });
  const bar = h('progress', { max: '100', value: '0', 'aria-label': `Tải lên ${file.name}` });
  const preview = h('div', { class: 'upload__image' });
  fill(row, name, bar, status, preview);
  if ('error' in checked) {
    bar.remove();
    fill(status, h('span', { class: 'result-bad' }, checked.error));
    return null;
  }
  if (checked.contentType !== 'image/heic') {
    const local = URL.createObjectURL(file);
    const img = h('img', { class: 'upload__preview', src: local, alt: '' });
    img.addEventListener('load', () => URL.revokeObjectURL(local), { once: true });
    // Not a picture the browser can show (or not a picture at all): no broken-image box.
    img.addEventListener('error', () => img.remove(), { once: true });
    fill(preview, img);
  }
  try {
    fill(status, 'Đang thu nhỏ ảnh để gửi nhanh…');
    file = await shrinkPhoto(original);
    const contentType = file === original ? checked.contentType : 'image/jpeg';
    const sending =
      file === original
        ? formatBytes(file.size)
        : `${formatBytes(file.size)} (ảnh gốc ${formatBytes(original.size)})`;
    row.dataset.sentBytes = String(file.size);
    const slot = await api<UploadSlot>(`/api/seller/products/${enc(productId)}/photos`, {
      method: 'POST',
      body: { contentType, bytes: file.size, purpose, ...(alt ? { alt } : {}) },
    });
    await put(slot, file, (fraction) => {
      const percent = Math.round(fraction * 100);
      bar.value = percent;
      fill(status, `Đang tải lên ${percent}% — ${sending}`);
    });
    bar.removeAttribute('value'); // indeterminate while the server processes
    fill(status, 'Đang xử lý ảnh (xoay, nén, tạo các cỡ)…');
    const final = await waitProcessed(productId, slot.photoId, () => undefined);
    bar.remove();
    if (final.status === 'failed') {
      fill(
        status,
        h(
          'span',
          { class: 'result-bad' },
          final.error?.code ? messageForCode(final.error.code, 400) : 'Ảnh không dùng được. Hãy chụp lại.',
        ),
      );
    } else {
      fill(status, h('span', { class: 'result-ok' }, `Xong — ảnh đã sẵn sàng (đã gửi ${sending}).`));
      const src = final.image?.src ?? (final.image?.key ? mediaUrl(final.image.key, 320) : undefined);
      if (src) fill(preview, h('img', { class: 'upload__preview', src, alt: final.image?.alt ?? '' }));
    }
    return { photoId: slot.photoId, status: final };
  } catch (error) {
    bar.remove();
    fill(
      status,
      h('span', { class: 'result-bad' }, error instanceof ApiError ? error.message : String(error)),
    );
    return null;
  }
}
