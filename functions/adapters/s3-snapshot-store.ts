/**
 * The catalog's snapshots in an S3 bucket (shared/db/catalog-snapshot.ts): one object per shard
 * under `catalog/`, replaced whole by the snapshot job and read by cold catalog containers.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SnapshotStore } from '../../shared/db/catalog-snapshot.ts';
import { instrumentClient } from '../../shared/observability/clients.ts';

export function s3SnapshotStore(bucket: string, client = instrumentClient(new S3Client({}))): SnapshotStore {
  return {
    async get(name) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: name }));
        return object.Body ? await object.Body.transformToByteArray() : undefined;
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
    async put(name, body) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: name,
          Body: body,
          ContentType: 'application/json',
          ContentEncoding: 'gzip',
        }),
      );
    },
  };
}
