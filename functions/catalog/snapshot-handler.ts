/**
 * Lambda entry of the catalog snapshot job (FUNCTIONS.catalogSnapshot): on its schedule it stores
 * a snapshot of every catalog shard (shared/db/catalog-snapshot.ts), from which cold catalog
 * containers start. A failed run throws (the error alarm) and the next run writes them again.
 */
import { writeCatalogSnapshots } from '../../shared/db/catalog-snapshot.ts';
import { log } from '../../shared/observability/log.ts';
import { services } from '../../shared/services.ts';
import { s3SnapshotStore } from '../adapters/s3-snapshot-store.ts';
import { observed } from '../observability.ts';
import { installLambdaServices } from '../services.ts';

installLambdaServices('catalogSnapshot', { snapshots: s3SnapshotStore });

export const handler = observed('catalogSnapshot', async () => {
  const store = services().catalogSnapshots;
  if (!store) throw new Error('catalogSnapshot: no snapshot store (CATALOG_SNAPSHOT_BUCKET unset)');
  const report = await writeCatalogSnapshots(store);
  log().info('catalog snapshot written', { ...report });
  return report;
});
