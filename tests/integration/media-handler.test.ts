/**
 * The media function end to end against DynamoDB Local, with a fake S3 client (no S3 emulator
 * exists here; the client is the unit boundary): an EventBridge "Object Created" event for an
 * upload → renditions written under media/ → the photo ready and on the product. Refused files
 * are recorded and the invocation succeeds; unexpected errors throw so EventBridge retries.
 */
import { Readable } from 'node:stream';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  GetObjectCommand,
  type PutObjectCommand,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  type PutObjectCommandInput,
  type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createMediaHandler } from '../../functions/media/media.ts';
import { db } from '../../shared/db/client.ts';
import { keys } from '../../shared/db/items.ts';
import { photos, uploadKey } from '../../shared/db/photos.ts';
import { producers } from '../../shared/db/producers.ts';
import { products } from '../../shared/db/products.ts';
import type { ImageRef } from '../../shared/domain/common.ts';
import { IMAGE_LIMITS } from '../../shared/images/pipeline.ts';
import { createMockProducer, createMockProduct, createMockVariant } from '../fixtures.ts';
import { exifHasGps, photoJpeg, rotatedJpegWithGps } from '../fixtures/images/generate.ts';
import eventFixture from '../fixtures/images/eventbridge-s3-object-created.json' with { type: 'json' };

const BUCKET = eventFixture.detail.bucket.name;

/** Only what the media function calls: GetObject and PutObject, recorded. */
class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly gets: GetObjectCommandInput[] = [];
  readonly puts: PutObjectCommandInput[] = [];
  /** ContentLength to report instead of the real one (S3 reports what was stored). */
  contentLengthOverride?: number;
  failPuts = false;
  bodyRead = false;

  send(command: GetObjectCommand): Promise<Pick<GetObjectCommandOutput, 'Body' | 'ContentLength'>>;
  send(command: PutObjectCommand): Promise<Partial<PutObjectCommandOutput>>;
  async send(
    command: GetObjectCommand | PutObjectCommand,
  ): Promise<Pick<GetObjectCommandOutput, 'Body' | 'ContentLength'> | Partial<PutObjectCommandOutput>> {
    if (command instanceof GetObjectCommand) {
      this.gets.push(command.input);
      expect(command.input.Bucket).toBe(BUCKET);
      const body = this.objects.get(command.input.Key!);
      if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      const stream = Readable.from([body]).on('data', () => (this.bodyRead = true));
      return {
        Body: stream as unknown as GetObjectCommandOutput['Body'],
        ContentLength: this.contentLengthOverride ?? body.length,
      };
    }
    if (this.failPuts) throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });
    this.puts.push(command.input);
    return {};
  }
}

function objectCreated(key: string, size: number): S3ObjectCreatedNotificationEvent {
  const event = structuredClone(eventFixture) as S3ObjectCreatedNotificationEvent;
  event.detail.object.key = key;
  event.detail.object.size = size;
  return event;
}

async function productWithPendingPhoto(alt = 'Chè nõn Tân Cương, búp khô') {
  const producer = await producers.create(createMockProducer());
  const product = createMockProduct(producer.id);
  await products.create({ product, variants: [createMockVariant(product.id)] }, producer);
  const photoId = `photo-${Math.random().toString(36).slice(2, 10)}`;
  await photos.createPending({
    productId: product.id,
    photoId,
    alt,
    contentType: 'image/jpeg',
    bytes: 1,
    purpose: 'product',
  });
  return { productId: product.id, photoId, key: uploadKey(product.id, photoId) };
}

async function productImages(productId: string): Promise<ImageRef[]> {
  const { doc, tableName } = db();
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: keys.product(productId), ConsistentRead: true }),
  );
  return (Item?.images ?? []) as ImageRef[];
}

function setup() {
  const s3 = new FakeS3();
  const logs: Record<string, unknown>[] = [];
  const handle = createMediaHandler({ s3, bucket: BUCKET, mediaPrefix: 'media/', log: (e) => logs.push(e) });
  return { s3, handle, logs };
}

describe('media function', () => {
  it('processes an upload: renditions under media/, photo ready, image appended to the product', async () => {
    const { s3, handle } = setup();
    const { productId, photoId, key } = await productWithPendingPhoto();
    const upload = await rotatedJpegWithGps();
    s3.objects.set(key, upload);

    const result = await handle(objectCreated(key, upload.length));

    const expected: ImageRef = {
      key: `products/${productId}/${photoId}`,
      alt: 'Chè nõn Tân Cương, búp khô',
      width: 300,
      height: 400,
    };
    expect(result).toEqual({ status: 'ready', image: expected });
    // Exactly the version the event is about.
    expect(s3.gets).toEqual([
      { Bucket: BUCKET, Key: key, VersionId: eventFixture.detail.object['version-id'] },
    ]);
    expect(s3.puts.map((p) => p.Key).sort()).toEqual(
      [320, 640, 1280]
        .flatMap((w) =>
          ['avif', 'jpg', 'webp'].map((ext) => `media/products/${productId}/${photoId}/${w}.${ext}`),
        )
        .sort(),
    );
    for (const put of s3.puts) {
      expect(put.Bucket).toBe(BUCKET);
      expect(put.CacheControl).toBe('public, max-age=31536000, immutable');
      const ext = put.Key!.split('.').pop();
      expect(put.ContentType).toBe({ avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg' }[ext!]);
      const meta = await sharp(put.Body as Buffer).metadata();
      expect(exifHasGps(meta.exif)).toBe(false);
      expect(meta.exif).toBeUndefined();
    }
    expect(await photos.get(productId, photoId)).toMatchObject({ status: 'ready', image: expected });
    expect(await productImages(productId)).toEqual([expected]);
  });

  it('does nothing more when EventBridge delivers the same event again', async () => {
    const { s3, handle } = setup();
    const { productId, key } = await productWithPendingPhoto();
    const upload = await photoJpeg(800, 600);
    s3.objects.set(key, upload);
    await handle(objectCreated(key, upload.length));
    const puts = s3.puts.length;

    expect(await handle(objectCreated(key, upload.length))).toEqual({
      status: 'skipped',
      reason: 'not_pending',
    });
    expect(s3.puts).toHaveLength(puts);
    expect(s3.gets).toHaveLength(1);
    expect(await productImages(productId)).toHaveLength(1);
  });

  it('records a refused file on the photo and returns normally (no retry storm)', async () => {
    const { s3, handle } = setup();
    const { productId, photoId, key } = await productWithPendingPhoto();
    const text = Buffer.from('not a photo, only text named IMG_0001.jpg');
    s3.objects.set(key, text);

    const result = await handle(objectCreated(key, text.length));

    expect(result).toMatchObject({ status: 'failed', error: { code: 'image.unsupported' } });
    expect(s3.puts).toEqual([]);
    const photo = await photos.get(productId, photoId);
    expect(photo).toMatchObject({ status: 'failed', error: { code: 'image.unsupported' } });
    expect(photo?.error?.message).toMatch(/JPEG, PNG, WebP/);
    expect(await productImages(productId)).toEqual([]);
  });

  it('refuses an upload over 15 MB by the size in the event, without fetching it', async () => {
    const { s3, handle } = setup();
    const { productId, photoId, key } = await productWithPendingPhoto();
    const result = await handle(objectCreated(key, IMAGE_LIMITS.maxBytes + 1));
    expect(result).toMatchObject({ status: 'failed', error: { code: 'image.too_large' } });
    expect(s3.gets).toEqual([]);
    expect(await photos.get(productId, photoId)).toMatchObject({ status: 'failed' });
  });

  it('refuses by ContentLength before reading the body', async () => {
    const { s3, handle } = setup();
    const { key } = await productWithPendingPhoto();
    s3.objects.set(key, await photoJpeg(64, 48));
    s3.contentLengthOverride = IMAGE_LIMITS.maxBytes + 1;
    const result = await handle(objectCreated(key, 1000));
    expect(result).toMatchObject({ status: 'failed', error: { code: 'image.too_large' } });
    expect(s3.gets).toHaveLength(1);
    expect(s3.bodyRead).toBe(false);
  });

  it('refuses a decompression bomb and a 50 MP photo with clear errors', async () => {
    const { pngBomb } = await import('../fixtures/images/generate.ts');
    const big = await sharp({ create: { width: 8700, height: 5800, channels: 3, background: '#5b8c3a' } })
      .jpeg({ quality: 60 })
      .toBuffer();
    for (const [name, body] of [
      ['bomb', pngBomb()],
      ['50 MP', big],
    ] as const) {
      const { s3, handle } = setup();
      const { productId, photoId, key } = await productWithPendingPhoto();
      s3.objects.set(key, body);
      const result = await handle(objectCreated(key, body.length));
      expect(result, name).toMatchObject({ status: 'failed', error: { code: 'image.too_many_pixels' } });
      expect((await photos.get(productId, photoId))?.error?.message, name).toContain('40 megapixel');
    }
  });

  it('ignores keys that are not uploads, other buckets, and uploads without a photo record', async () => {
    const { s3, handle } = setup();
    expect(await handle(objectCreated('media/products/p/ph/320.avif', 10))).toMatchObject({
      status: 'ignored',
    });
    expect(await handle(objectCreated('uploads/../../etc/passwd', 10))).toMatchObject({ status: 'ignored' });
    const other = objectCreated('uploads/p-1/ph-1', 10);
    other.detail.bucket.name = 'someone-elses-bucket';
    expect(await handle(other)).toMatchObject({ status: 'ignored' });
    expect(await handle(objectCreated('uploads/no-such-product/no-such-photo', 10))).toEqual({
      status: 'skipped',
      reason: 'unknown_photo',
    });
    expect(s3.gets).toEqual([]);
    expect(s3.puts).toEqual([]);
  });

  it('throws on an unexpected failure (S3 down) and leaves the photo pending for the retry', async () => {
    const { s3, handle } = setup();
    const { productId, photoId, key } = await productWithPendingPhoto();
    const upload = await photoJpeg(640, 480);
    s3.objects.set(key, upload);
    s3.failPuts = true;
    await expect(handle(objectCreated(key, upload.length))).rejects.toThrow('Service Unavailable');
    expect(await photos.get(productId, photoId)).toMatchObject({ status: 'pending' });

    // EventBridge retries the same event; this time S3 answers.
    s3.failPuts = false;
    expect(await handle(objectCreated(key, upload.length))).toMatchObject({ status: 'ready' });
    expect(await productImages(productId)).toHaveLength(1);
  });
});
