/**
 * What the local runtime adds to stand in for AWS services: the token issuer's JWKS (Cognito),
 * the dev inbox (SMS/Zalo), and an upload endpoint behind signed URLs (S3 presigned PUTs),
 * whose uploads go through the same photo processing as the media Lambda. Not served in AWS.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context, Hono, Next } from 'hono';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { parseUploadKey } from '../../shared/db/photos.ts';
import { completePhotoUpload } from '../../shared/images/upload.ts';
import type { UploadTargets } from '../../shared/seller/photos.ts';
import { errorBody } from '../../functions/http.ts';
import type { LocalIssuer } from './auth-issuer.ts';
import { fileMediaStore } from './media-store.ts';

const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
const URL_SECONDS = 15 * 60;

/** Signed upload URLs, like S3's presigned PUTs: valid for 15 minutes, for one key and type. */
export function localUploadTargets(origin: () => string, secret: Buffer): UploadTargets {
  return {
    async create(key, contentType) {
      const expires = Math.floor(Date.now() / 1000) + URL_SECONDS;
      const sig = sign(secret, key, contentType, expires);
      return {
        url: `${origin()}/local-upload/${key}?expires=${expires}&sig=${sig}`,
        headers: { 'Content-Type': contentType },
      };
    },
  };
}

function sign(secret: Buffer, key: string, contentType: string, expires: number): string {
  return createHmac('sha256', secret).update(`${key}\n${contentType}\n${expires}`).digest('base64url');
}

export const newUploadSecret = () => randomBytes(32);

export interface DevServicesOptions {
  issuer: () => LocalIssuer | undefined;
  uploadSecret: Buffer;
  uploadsDir: string;
  mediaDir: string;
  log: (line: string) => void;
  /**
   * Serve the dev inbox to other machines too (`DEV_INBOX_REMOTE=1`). Off by default: the inbox
   * shows every sign-in and order code, so only this machine (loopback) may read it.
   */
  inboxForAnyAddress?: boolean;
  /**
   * The notice queue (infra/local/notice-queue.ts): the inbox answers once what is queued was
   * sent (5 s at most), so a code asked for right after its request is there, as on a phone a
   * second later.
   */
  notices?: () => { drained(timeoutMs?: number): Promise<boolean> } | undefined;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The socket's own peer address: headers such as X-Forwarded-For are not looked at. */
function socketAddress(c: Context): string | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;
}

export function mountDevServices(app: Hono, options: DevServicesOptions): void {
  app.get('/auth/.well-known/jwks.json', (c) => {
    const issuer = options.issuer();
    return issuer ? c.json(issuer.jwks) : c.json(errorBody('auth.not_ready', 'Issuer starting'), 503);
  });

  // Elsewhere than loopback the inbox does not exist (404, as in AWS), unless asked for.
  const inboxGuard = async (c: Context, next: Next) => {
    if (!options.inboxForAnyAddress && !isLoopback(socketAddress(c))) {
      return c.json(errorBody('route.not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
    }
    await next();
  };
  app.use('/dev/inbox', inboxGuard);
  app.use('/dev/inbox/*', inboxGuard);
  const inbox = async () => {
    await options.notices?.()?.drained(5_000);
    return devInbox.list();
  };
  app.get('/dev/inbox', async (c) => c.json(await inbox()));
  app.get('/dev/inbox/', async (c) => {
    const messages = await inbox();
    const rows = messages
      .map(
        (m) =>
          `<li><p class="meta"><time datetime="${m.sentAt}">${new Date(m.sentAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}</time> → <strong>${escapeHtml(m.to)}</strong> · <span class="channel" data-channel="${m.channel}">${m.channel === 'zalo' ? 'Zalo' : 'SMS'}</span> · ${escapeHtml(m.kind)}</p><p>${escapeHtml(m.text)}</p></li>`,
      )
      .join('');
    return c.html(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="3"><title>Hộp thư thử nghiệm — dev inbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1f2a1f}li{list-style:none;border:1px solid #cfdccb;border-radius:8px;padding:.5rem .75rem;margin:.5rem 0}.meta{color:#4a5a48;font-size:.9rem;margin:0}.channel{font-weight:600}ul{padding:0}</style>
</head><body><h1>Hộp thư thử nghiệm</h1><p>Tin nhắn SMS/Zalo lẽ ra được gửi đi (chỉ khi chạy cục bộ), mới nhất ở trên; trang tự làm mới. / Messages that would go out by SMS or Zalo, newest first.</p>
${rows ? `<ul>${rows}</ul>` : '<p><em>Chưa có tin nhắn nào. / No messages yet.</em></p>'}</body></html>`);
  });

  app.put('/local-upload/uploads/:productId/:photoId', async (c) => {
    const key = `uploads/${c.req.param('productId')}/${c.req.param('photoId')}`;
    const ref = parseUploadKey(key);
    const expires = Number(c.req.query('expires'));
    const given = Buffer.from(c.req.query('sig') ?? '', 'base64url');
    const contentType = c.req.header('content-type') ?? '';
    const expected = Buffer.from(sign(options.uploadSecret, key, contentType, expires), 'base64url');
    if (
      !ref ||
      !(expires * 1000 > Date.now()) ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      return c.json(
        errorBody(
          'upload.forbidden',
          'Liên kết tải lên không hợp lệ hoặc đã hết hạn / Invalid or expired upload URL',
        ),
        403,
      );
    }
    if (Number(c.req.header('content-length') ?? 0) > MAX_UPLOAD_BYTES) {
      return c.json(errorBody('upload.too_large', 'Ảnh tối đa 15 MB / At most 15 MB'), 413);
    }
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.byteLength > MAX_UPLOAD_BYTES)
      return c.json(errorBody('upload.too_large', 'Ảnh tối đa 15 MB / At most 15 MB'), 413);
    const file = join(options.uploadsDir, ref.productId, ref.photoId);
    await mkdir(join(options.uploadsDir, ref.productId), { recursive: true });
    await writeFile(file, body);
    // Like the S3 event in AWS: processing runs after the upload is stored; the seller polls.
    setImmediate(() => {
      completePhotoUpload({ ...ref, bytes: body, store: fileMediaStore(options.mediaDir) }).catch(
        (error: unknown) => options.log(`photo ${ref.photoId} could not be processed: ${String(error)}`),
      );
    });
    return c.body(null, 200);
  });
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}
