/**
 * The programme report's storage (shared/stats/programme.ts): the admin's targets and the three
 * indexes the stats stream worker keeps, each read with one Query of the byOwner index.
 *
 *   PROGTARGETS / TARGETS             programme_targets     the admin's onboarding targets
 *   PROGHH#<household> / HH           programme_household   commune, last sale; while verified
 *                                                           byOwner PROGRAMME#households / <last sale | 0>
 *   PROGREVIEW#<product> / REVIEW     programme_review      a listing in review (any queue)
 *                                                           byOwner PROGRAMME#review / <since>#<product>
 *   PROGCERT#<product>#<cert> / CERT  programme_certificate a verified certificate
 *                                                           byOwner PROGRAMME#certificates / <expires on>#<cert>
 *
 * Scale (20,000 listings, 5,000 producers): the writes are one small item per stream record that
 * moves one (a sale writes one item per household of the order, conditioned to move forward
 * only); the report reads the households listed (at most every verified household, ≈ 100 bytes
 * each: 5,000 fit in one 1 MB page), the listings in review and the certificates of the next
 * 60 days, then the names and phones of those it shows (BatchGetItem, 100 a call). Nothing grows
 * with orders or with the catalog as a whole.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ProgrammeIndexOp, ProgrammeTargets } from '../stats/programme.ts';
import { db } from './client.ts';
import { queryAll } from './items.ts';
import { batchGet } from './stats.ts';

const HOUSEHOLDS = 'PROGRAMME#households';
const REVIEWS = 'PROGRAMME#review';
const CERTIFICATES = 'PROGRAMME#certificates';
const NEVER = '0';
const TARGETS_KEY = { pk: 'PROGTARGETS', sk: 'TARGETS' };

const householdKey = (id: string) => ({ pk: `PROGHH#${id}`, sk: 'HH' });
const reviewKey = (id: string) => ({ pk: `PROGREVIEW#${id}`, sk: 'REVIEW' });
const certificateKey = (productId: string, certId: string) => ({
  pk: `PROGCERT#${productId}#${certId}`,
  sk: 'CERT',
});

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Applies index writes in order (each idempotent; see shared/stats/programme.ts). */
export async function applyProgrammeOps(ops: readonly ProgrammeIndexOp[]): Promise<void> {
  const { doc, tableName } = db();
  for (const op of ops) {
    switch (op.kind) {
      case 'household':
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: householdKey(op.producerId),
            UpdateExpression: op.verified
              ? 'SET #type = :type, producerId = :id, communeCode = :c, ownerKey = :k, ownerSort = if_not_exists(ownerSort, :never)'
              : 'SET #type = :type, producerId = :id, communeCode = :c REMOVE ownerKey',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: {
              ':type': 'programme_household',
              ':id': op.producerId,
              ':c': op.communeCode,
              ...(op.verified ? { ':k': HOUSEHOLDS, ':never': NEVER } : {}),
            },
          }),
        );
        break;
      case 'sale':
        try {
          await doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: householdKey(op.producerId),
              UpdateExpression: 'SET #type = :type, producerId = :id, lastSaleAt = :at, ownerSort = :at',
              ConditionExpression: 'attribute_not_exists(lastSaleAt) OR lastSaleAt < :at',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: {
                ':type': 'programme_household',
                ':id': op.producerId,
                ':at': op.at,
              },
            }),
          );
        } catch (error) {
          // A later sale is already recorded: nothing to move.
          if (!isConditionFailure(error)) throw error;
        }
        break;
      case 'review':
        if (op.inReview)
          await doc.send(
            new PutCommand({
              TableName: tableName,
              Item: {
                ...reviewKey(op.productId),
                type: 'programme_review',
                productId: op.productId,
                name: op.name,
                producerId: op.producerId,
                since: op.since,
                ownerKey: REVIEWS,
                ownerSort: `${op.since}#${op.productId}`,
              },
            }),
          );
        else await doc.send(new DeleteCommand({ TableName: tableName, Key: reviewKey(op.productId) }));
        break;
      case 'certificate':
        if (op.verified)
          await doc.send(
            new PutCommand({
              TableName: tableName,
              Item: {
                ...certificateKey(op.productId, op.certificateId),
                type: 'programme_certificate',
                productId: op.productId,
                certificateId: op.certificateId,
                stars: op.stars,
                decisionNumber: op.decisionNumber,
                expiresOn: op.expiresOn,
                ownerKey: CERTIFICATES,
                ownerSort: `${op.expiresOn}#${op.certificateId}`,
              },
            }),
          );
        else
          await doc.send(
            new DeleteCommand({ TableName: tableName, Key: certificateKey(op.productId, op.certificateId) }),
          );
        break;
    }
  }
}

/** Verified households whose last sale is before `cutoff` (ISO time), or who never sold. */
export async function householdsWithoutSaleSince(cutoff: string) {
  const items = await queryAll({
    IndexName: 'byOwner',
    KeyConditionExpression: 'ownerKey = :k AND ownerSort < :cutoff',
    ExpressionAttributeValues: { ':k': HOUSEHOLDS, ':cutoff': cutoff },
  });
  return items.map((i) => ({
    producerId: String(i.producerId),
    communeCode: String(i.communeCode ?? 'unknown'),
    ...(typeof i.lastSaleAt === 'string' ? { lastSaleAt: i.lastSaleAt } : {}),
  }));
}

/** Listings in review, in any queue, oldest first. */
export async function listingsInReview() {
  const items = await queryAll({
    IndexName: 'byOwner',
    KeyConditionExpression: 'ownerKey = :k',
    ExpressionAttributeValues: { ':k': REVIEWS },
  });
  return items.map((i) => ({
    productId: String(i.productId),
    name: String(i.name ?? ''),
    producerId: String(i.producerId),
    since: String(i.since),
  }));
}

/** Verified certificates expiring from `from` to `to` (YYYY-MM-DD, inclusive). */
export async function certificatesExpiring(from: string, to: string) {
  const items = await queryAll({
    IndexName: 'byOwner',
    KeyConditionExpression: 'ownerKey = :k AND ownerSort BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':k': CERTIFICATES, ':from': from, ':to': `${to}#\uffff` },
  });
  return items.map((i) => ({
    productId: String(i.productId),
    certificateId: String(i.certificateId),
    stars: Number(i.stars),
    decisionNumber: String(i.decisionNumber ?? ''),
    expiresOn: String(i.expiresOn),
  }));
}

/** Names and phones of producers (BatchGetItem), for the rows the report shows. */
export async function producerContacts(ids: Iterable<string>) {
  const items = await batchGet(
    [...new Set(ids)].map((id) => ({ pk: `PRODUCER#${id}`, sk: 'PRODUCER' })),
    'id, #n, phone',
    { '#n': 'name' },
  );
  return new Map(items.map((p) => [String(p.id), { name: String(p.name), phone: String(p.phone) }]));
}

/** The listings' Vietnamese names (BatchGetItem). */
export async function productNames(ids: Iterable<string>) {
  const items = await batchGet(
    [...new Set(ids)].map((id) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' })),
    'id, #n',
    { '#n': 'name' },
  );
  return new Map(
    items.map((p) => [String(p.id), { name: String((p.name as { vi?: string } | undefined)?.vi ?? p.id) }]),
  );
}

export async function readProgrammeTargets(): Promise<ProgrammeTargets | undefined> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk = :sk',
    ExpressionAttributeValues: { ':pk': TARGETS_KEY.pk, ':sk': TARGETS_KEY.sk },
  });
  const item = items[0];
  return item ? (item.targets as ProgrammeTargets) : undefined;
}

export async function putProgrammeTargets(targets: ProgrammeTargets, by: string, at: string): Promise<void> {
  await db().doc.send(
    new PutCommand({
      TableName: db().tableName,
      Item: { ...TARGETS_KEY, type: 'programme_targets', targets, setBy: by, setAt: at },
    }),
  );
}
