import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { s3UploadTargets } from '../../functions/producers/s3-upload-targets.ts';

describe('presigned photo uploads', () => {
  it('signs a PUT for the key, the content type and the length', async () => {
    const client = new S3Client({
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const target = await s3UploadTargets('tn-media', client).create('uploads/p1/ph1', 'image/jpeg', 123_456);
    const url = new URL(target.url);
    expect(url.hostname).toContain('tn-media');
    expect(url.pathname).toBe('/uploads/p1/ph1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host']),
    );
    expect(target.headers).toEqual({ 'Content-Type': 'image/jpeg' });
  });
});
