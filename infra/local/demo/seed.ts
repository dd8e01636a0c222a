/**
 * Seeds the demo catalog once: producers, products with packs, OCOP certificates and lots, and
 * photos processed by the real image pipeline. A marker item records that seeding finished.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { accounts, type Account } from '../../../shared/db/accounts.ts';
import { db } from '../../../shared/db/client.ts';
import { producers } from '../../../shared/db/producers.ts';
import { products } from '../../../shared/db/products.ts';
import type { MediaStore } from '../../../shared/images/pipeline.ts';
import { invoices } from '../../../shared/db/invoices.ts';
import { putShippingRules } from '../../../shared/db/orders.ts';
import { demoInvoiceSettings, demoListings, demoProducers, demoShippingRules } from './demo-data.ts';
import { seedDemoReviews } from './demo-reviews.ts';
import { categoryPhoto, ignoreExisting, processDemoArtworks, producerAccount } from './seed-helpers.ts';
import { seedMarketDemo } from './market-demo.ts';
import { seedDemoPreorders } from './preorder-seed.ts';

const MARKER = { pk: 'META', sk: 'DEMO_SEED' };
// Version 2 added the demo accounts (producers, managers, an admin); version 3 the demo
// cooperatives' carriers (one on GHN, one on GHTK), so a data folder seeded before gets them;
// version 4 the market panel's reference prices and weeks of sales (market-demo.ts).
//   a few delivered orders with reviews (demo-reviews.ts) and an open spring-tea pre-order
//   window (preorder-seed.ts).
const SEED_VERSION = 4;

/** When the demo data was seeded into this store, or undefined if it was not (or an older version). */
export async function demoSeededAt(): Promise<string | undefined> {
  const { doc, tableName } = db();
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: MARKER }));
  return Item?.version === SEED_VERSION ? String(Item.seededAt) : undefined;
}

export async function seedDemoData(
  store: MediaStore,
  log: (line: string) => void = () => {},
): Promise<{ producers: number; products: number }> {
  const started = Date.now();
  const images = await processDemoArtworks(store);
  log(`photos processed in ${Date.now() - started} ms`);
  const byId = new Map(demoProducers.map((p) => [p.id, p]));
  // Cooperatives first: households reference them.
  const ordered = [...demoProducers].sort(
    (a, b) => Number(a.kind === 'household') - Number(b.kind === 'household'),
  );
  for (const producer of ordered) await producers.create(producer).catch(ignoreExisting);
  for (const [id, rules] of Object.entries(demoShippingRules)) {
    await putShippingRules(id, rules, 'demo', new Date().toISOString());
  }
  await Promise.all(
    demoListings.map(async (listing) => {
      const product = {
        ...listing.product,
        images: [categoryPhoto(images, listing.product.category, listing.product.name.vi)],
      };
      await products.create({ ...listing, product }, byId.get(product.producerId)!).catch(ignoreExisting);
    }),
  );
  // E-invoices on for one cooperative; never over settings its manager saved since.
  for (const [id, settings] of Object.entries(demoInvoiceSettings)) {
    if (!(await invoices.getSettings(id)))
      await invoices.putSettings(id, settings, 'demo', new Date().toISOString());
  }
  for (const account of demoAccounts()) await accounts.create(account);
  await seedMarketDemo();
  await seedDemoReviews();
  await seedDemoPreorders();
  const { doc, tableName } = db();
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...MARKER, version: SEED_VERSION, seededAt: new Date().toISOString() },
    }),
  );
  return { producers: demoProducers.length, products: demoListings.length };
}

/** The admin's phone in the demo data (invented). */
export const DEMO_ADMIN_PHONE = '+84900000001';

/** Sign-in accounts for every demo producer (managers for cooperatives) and one admin. */
function demoAccounts(): Account[] {
  const createdAt = '2025-09-01T08:00:00.000Z';
  return [
    { sub: 'demo-admin', phone: DEMO_ADMIN_PHONE, groups: ['admin'], createdAt },
    ...demoProducers.map((p) => producerAccount(p, createdAt)),
  ];
}
