import { handle } from 'hono/aws-lambda';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';
import { app } from './app.ts';
import { s3SnapshotStore } from '../adapters/s3-snapshot-store.ts';

installLambdaServices('catalog', { snapshots: s3SnapshotStore });

export const handler = observed('catalog', handle(app));
