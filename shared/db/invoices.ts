/**
 * E-invoices (shared/invoices):
 *   PRODUCER#<id> / INVOICESETTINGS          invoice_settings  a seller's tax data, template, series, switch
 *   INVOICE#<order code> / <fulfiller>#<kind> invoice  one per sub-order and kind: ORIGINAL, ADJ#<ref>,
 *                                            CANCEL; byOwner INVOICES#<fulfiller> / <created>#<code>#<kind>
 *   INVOICEDUE#<shard> / <code>#<fulfiller>#<kind>  invoice_due  work to do (issue, adjust, cancel),
 *                                            with its next attempt; deleted once the invoice is issued
 * The invoice item is written (conditionally: absent) before the provider is called, with the
 * transaction id the provider gets; every later attempt reuses that id, and an issued item is never
 * issued again.
 */
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { getConsistent, isConditionFailure, putIfAbsent, putItem } from './item-access.ts';
import type { TransactItem } from './items.ts';
import { shardedKey, shardKey } from './shards.ts';
import { keys } from './items.ts';
import { batchGetConsistent } from './orders.ts';
import type { InvoiceSettings } from '../invoices/model.ts';

export type InvoiceStatus = 'pending' | 'issued' | 'failed';
/** ORIGINAL, ADJ#<refund ref>, CANCEL. */
export type InvoiceKindKey = string;

export interface InvoiceRecord {
  orderCode: string;
  fulfillerId: string;
  kindKey: InvoiceKindKey;
  kind: 'original' | 'adjustment' | 'replacement';
  status: InvoiceStatus;
  transactionId: string;
  attempts: number;
  /** Document (InvoiceDocument) as JSON, fixed when the record is created. */
  doc: string;
  xml: string;
  total: number;
  createdAt: string;
  number?: string;
  lookupCode?: string;
  lookupUrl?: string;
  issuedAt?: string;
  lastError?: string;
  /** What kind of failure the last error was: `auth` is the seller's SInvoice account. */
  lastErrorKind?: InvoiceFailureKind;
  /** When the invoice lane tries a failed invoice again (ms since the epoch). */
  nextAttemptAt?: number;
  leaseUntil?: number;
}

/** The provider's failures (invoices/provider.ts ProviderError kinds), or anything else: `error`. */
export type InvoiceFailureKind = 'auth' | 'refused' | 'timeout' | 'unavailable' | 'error';

export interface StoredInvoiceSettings extends InvoiceSettings {
  updatedAt: string;
  updatedBy: string;
  /** The seller saved its SInvoice account (kept outside this item: invoices/credentials.ts). */
  credentialsSet: boolean;
  /** The account's user name, masked ("ht••••01"). */
  credentialsUsername?: string;
  credentialsUpdatedAt?: string;
}

/** What the settings item says of the seller's account: never the secret itself. */
export type CredentialsInfo = Pick<
  StoredInvoiceSettings,
  'credentialsSet' | 'credentialsUsername' | 'credentialsUpdatedAt'
>;

const settingsKey = (producerId: string) => ({ pk: `PRODUCER#${producerId}`, sk: 'INVOICESETTINGS' });
export const invoiceKey = (code: string, fulfillerId: string, kindKey: InvoiceKindKey) => ({
  pk: `INVOICE#${code}`,
  sk: `${fulfillerId}#${kindKey}`,
});
const DUE = 'INVOICEDUE';
type DueRef = Pick<InvoiceDue, 'orderCode' | 'fulfillerId' | 'kindKey' | 'trigger'>;
/** One marker per kind and trigger: a payment's and a completion's markers do not overwrite each other. */
const dueKey = (due: DueRef) => ({
  pk: shardedKey(DUE, due.orderCode),
  sk: `${due.orderCode}#${due.fulfillerId}#${due.kindKey}${due.trigger ? `@${due.trigger}` : ''}`,
});

const STRIP = ['pk', 'sk', 'type', 'ownerKey', 'ownerSort'];
const strip = <T>(item: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.includes(k))) as T;

/** Work for the invoice worker: what to issue for a sub-order. */
export interface InvoiceDue {
  orderCode: string;
  fulfillerId: string;
  kindKey: InvoiceKindKey;
  /** issue: the original on completion or payment; adjust: a partial refund; cancel: the whole part. */
  action: 'issue' | 'adjust' | 'cancel';
  /** Originals: what happened; the seller's `issueOn` says which of the two issues. */
  trigger?: 'completed' | 'paid';
  /** Adjustments: the amount refunded, VAT included. */
  amount?: number;
  reason?: string;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

export const invoices = {
  async getSettings(producerId: string): Promise<StoredInvoiceSettings | undefined> {
    const item = await getConsistent(settingsKey(producerId));
    // Items written before sellers had accounts of their own have no credentialsSet.
    return item
      ? { ...strip<StoredInvoiceSettings>(item), credentialsSet: item.credentialsSet === true }
      : undefined;
  },

  /** Replaces the settings; `credentials` says what is known of the account kept elsewhere. */
  async putSettings(
    producerId: string,
    settings: InvoiceSettings,
    by: string,
    at: string,
    credentials: CredentialsInfo = { credentialsSet: false },
  ): Promise<StoredInvoiceSettings> {
    // Only the known fields: a body that still carries its credentials never reaches the item.
    const { enabled, legalName, taxCode, address, templateCode, series, issueOn, grower } = settings;
    const stored: StoredInvoiceSettings = {
      ...{ enabled, legalName, taxCode, address, templateCode, series, issueOn, grower },
      ...credentials,
      updatedAt: at,
      updatedBy: by,
    };
    await putItem({ ...settingsKey(producerId), type: 'invoice_settings', ...stored });
    return stored;
  },

  async get(code: string, fulfillerId: string, kindKey: InvoiceKindKey): Promise<InvoiceRecord | undefined> {
    const item = await getConsistent(invoiceKey(code, fulfillerId, kindKey));
    return item ? strip<InvoiceRecord>(item) : undefined;
  },

  /** Writes the record unless one exists: the existing one otherwise (never a second invoice). */
  async claim(record: InvoiceRecord): Promise<{ created: boolean; record: InvoiceRecord }> {
    const created = await putIfAbsent({
      ...invoiceKey(record.orderCode, record.fulfillerId, record.kindKey),
      type: 'invoice',
      ownerKey: `INVOICES#${record.fulfillerId}`,
      ownerSort: `${record.createdAt}#${record.orderCode}#${record.kindKey}`,
      ...record,
    });
    if (created) return { created, record };
    return { created, record: (await this.get(record.orderCode, record.fulfillerId, record.kindKey))! };
  },

  /**
   * Takes attempt `seen + 1` of a record not issued and not leased by another run (until
   * `leaseUntil`); false when another run holds it or it is issued.
   */
  async lease(record: InvoiceRecord, nowMs: number, leaseUntil: number): Promise<boolean> {
    const { doc, tableName } = db();
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: invoiceKey(record.orderCode, record.fulfillerId, record.kindKey),
          UpdateExpression: 'SET attempts = :next, leaseUntil = :until',
          ConditionExpression:
            'attempts = :seen AND #status <> :issued AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':next': record.attempts + 1,
            ':seen': record.attempts,
            ':issued': 'issued',
            ':now': nowMs,
            ':until': leaseUntil,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async markIssued(
    record: InvoiceRecord,
    issued: { number: string; lookupCode: string; lookupUrl: string; xml: string; issuedAt: string },
  ): Promise<void> {
    const { doc, tableName } = db();
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: invoiceKey(record.orderCode, record.fulfillerId, record.kindKey),
        UpdateExpression:
          'SET #status = :issued, #number = :number, lookupCode = :code, lookupUrl = :url, xml = :xml, issuedAt = :at REMOVE leaseUntil, lastError, lastErrorKind, nextAttemptAt',
        ExpressionAttributeNames: { '#status': 'status', '#number': 'number' },
        ExpressionAttributeValues: {
          ':issued': 'issued',
          ':number': issued.number,
          ':code': issued.lookupCode,
          ':url': issued.lookupUrl,
          ':xml': issued.xml,
          ':at': issued.issuedAt,
        },
      }),
    );
  },

  async markFailed(record: InvoiceRecord, error: string, kind: InvoiceFailureKind = 'error'): Promise<void> {
    const { doc, tableName } = db();
    await doc
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: invoiceKey(record.orderCode, record.fulfillerId, record.kindKey),
          UpdateExpression:
            'SET #status = :failed, lastError = :error, lastErrorKind = :kind REMOVE leaseUntil',
          ConditionExpression: '#status <> :issued',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':error': error.slice(0, 500),
            ':kind': kind,
            ':issued': 'issued',
          },
        }),
      )
      .catch((e: unknown) => {
        if (!isConditionFailure(e)) throw e;
      });
  },

  /** Every invoice of an order (all its parts), oldest kinds first. */
  async listForOrder(code: string): Promise<InvoiceRecord[]> {
    const { doc, tableName } = db();
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `INVOICE#${code}` },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((i) => strip<InvoiceRecord>(i));
  },

  /** A seller's invoices, newest first, `limit` at a time after `before` (an ownerSort). */
  async listForFulfiller(
    fulfillerId: string,
    limit: number,
    before?: string,
  ): Promise<{ items: InvoiceRecord[]; next?: string }> {
    const { doc, tableName } = db();
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byOwner',
        KeyConditionExpression: before ? 'ownerKey = :owner AND ownerSort < :before' : 'ownerKey = :owner',
        ExpressionAttributeValues: {
          ':owner': `INVOICES#${fulfillerId}`,
          ...(before ? { ':before': before } : {}),
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const items = (page.Items ?? []).map((i) => strip<InvoiceRecord>(i));
    const last = page.Items?.at(-1);
    return { items, ...(page.LastEvaluatedKey && last ? { next: String(last.ownerSort) } : {}) };
  },

  /** The Put of a due marker, written with the change that calls for the invoice. */
  dueItem(due: Omit<InvoiceDue, 'attempts' | 'nextAttemptAt'>, nowMs: number): TransactItem {
    return {
      Put: {
        TableName: db().tableName,
        Item: { ...dueKey(due), type: 'invoice_due', ...due, attempts: 0, nextAttemptAt: nowMs },
      },
    };
  },

  async putDue(due: Omit<InvoiceDue, 'attempts' | 'nextAttemptAt'>, nowMs: number): Promise<void> {
    await putItem({ ...dueKey(due), type: 'invoice_due', ...due, attempts: 0, nextAttemptAt: nowMs });
  },

  /** Due markers of one shard whose next attempt is at or before `nowMs`. */
  async dueIn(shard: string, nowMs: number, limit = 50): Promise<InvoiceDue[]> {
    const { doc, tableName } = db();
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'nextAttemptAt <= :now',
        ExpressionAttributeValues: { ':pk': shardKey(DUE, shard), ':now': nowMs },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((i) => strip<InvoiceDue>(i));
  },

  /**
   * The marker's next attempt after a failure; the invoice record, if one was written and is not
   * issued, shows that time on the board (`nextAttemptAt`).
   */
  async rescheduleDue(due: InvoiceDue, nextAttemptAt: number, error: string): Promise<void> {
    const { doc, tableName } = db();
    const ignoreMissing = (e: unknown) => {
      if (!isConditionFailure(e)) throw e;
    };
    await doc
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: dueKey(due),
          UpdateExpression: 'SET attempts = attempts + :one, nextAttemptAt = :next, lastError = :error',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1, ':next': nextAttemptAt, ':error': error.slice(0, 500) },
        }),
      )
      .catch(ignoreMissing);
    await doc
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: invoiceKey(due.orderCode, due.fulfillerId, due.kindKey),
          UpdateExpression: 'SET nextAttemptAt = :next',
          ConditionExpression: 'attribute_exists(pk) AND #status <> :issued',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':next': nextAttemptAt, ':issued': 'issued' },
        }),
      )
      .catch(ignoreMissing);
  },

  async deleteDue(due: DueRef): Promise<void> {
    const { doc, tableName } = db();
    await doc.send(new DeleteCommand({ TableName: tableName, Key: dueKey(due) }));
  },
};

/** The category of each product, for the invoice's VAT rates (one batch read). */
export async function productCategories(productIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(productIds)];
  const items = await batchGetConsistent(unique.map((id) => keys.product(id)));
  return new Map(items.map((item) => [String(item.pk).slice('PRODUCT#'.length), String(item.category)]));
}
