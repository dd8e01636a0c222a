/**
 * A household's consent to a proxy listing, pending until the manager enters its code:
 *   CONSENT#<id> / CONSENT   household, manager, code hash, attempts so far (TTL 15 minutes)
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { getConsistent, isConditionFailure, putItem } from './item-access.ts';
import type { TransactItem } from './items.ts';

const consentKey = (consentId: string) => ({ pk: `CONSENT#${consentId}`, sk: 'CONSENT' });

export interface StoredConsent {
  householdId: string;
  managerSub: string;
  codeHash: string;
  /** Unix seconds. */
  expiresAt: number;
}

export async function putConsent(consentId: string, consent: StoredConsent): Promise<void> {
  await putItem({ ...consentKey(consentId), type: 'consent', attempts: 0, ...consent });
}

export async function getConsent(consentId: string): Promise<StoredConsent | undefined> {
  const item = await getConsistent(consentKey(consentId));
  if (!item) return undefined;
  return {
    householdId: String(item.householdId),
    managerSub: String(item.managerSub),
    codeHash: String(item.codeHash),
    expiresAt: Number(item.expiresAt),
  };
}

/**
 * Counts one attempt to enter the consent's code: false once `max` attempts were made (the
 * consent is then used up, the right code included), or when there is no such consent.
 */
export async function countConsentAttempt(consentId: string, max: number): Promise<boolean> {
  const { doc, tableName } = db();
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: consentKey(consentId),
        UpdateExpression: 'ADD attempts :one',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(attempts) OR attempts < :max)',
        ExpressionAttributeValues: { ':one': 1, ':max': max },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Uses up a consent in the transaction of the listing it allows (only while its code is unchanged). */
export function consumeConsent(consentId: string, codeHash: string): TransactItem {
  return {
    Delete: {
      TableName: db().tableName,
      Key: consentKey(consentId),
      ConditionExpression: 'codeHash = :hash',
      ExpressionAttributeValues: { ':hash': codeHash },
    },
  };
}
