/**
 * Sign-in state between sending a code and checking it, one item per phone:
 *   SIGNIN#<phone> / CODE             the local provider's code (hashed), TTL 5 minutes
 *   SIGNIN#<phone> / COGNITO_SESSION  Cognito's session between its two steps, TTL 3 minutes
 * (The per-phone and per-address attempt counters are rate-limits.ts.)
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { deleteItem, getConsistent, isConditionFailure, putItem } from './item-access.ts';

const codeKey = (phone: string) => ({ pk: `SIGNIN#${phone}`, sk: 'CODE' });
const sessionKey = (phone: string) => ({ pk: `SIGNIN#${phone}`, sk: 'COGNITO_SESSION' });

export interface StoredSignInCode {
  codeHash: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** Stores a phone's code, replacing the one before. */
export async function putSignInCode(phone: string, code: StoredSignInCode): Promise<void> {
  await putItem({ ...codeKey(phone), type: 'sign_in_code', ...code });
}

export async function getSignInCode(phone: string): Promise<StoredSignInCode | undefined> {
  const item = await getConsistent(codeKey(phone));
  return item ? { codeHash: String(item.codeHash), expiresAt: Number(item.expiresAt) } : undefined;
}

/** Deletes the code if it is still `codeHash`: only the request that deletes it may sign in. */
export async function consumeSignInCode(phone: string, codeHash: string): Promise<boolean> {
  const { doc, tableName } = db();
  try {
    await doc.send(
      new DeleteCommand({
        TableName: tableName,
        Key: codeKey(phone),
        ConditionExpression: 'codeHash = :hash',
        ExpressionAttributeValues: { ':hash': codeHash },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export interface StoredCognitoSession {
  session: string | undefined;
  /** Unix seconds. */
  expiresAt: number;
}

export async function putCognitoSession(phone: string, session: StoredCognitoSession): Promise<void> {
  await putItem({ ...sessionKey(phone), type: 'cognito_session', ...session });
}

export async function getCognitoSession(phone: string): Promise<StoredCognitoSession | undefined> {
  const item = await getConsistent(sessionKey(phone));
  return item
    ? { session: item.session as string | undefined, expiresAt: Number(item.expiresAt) }
    : undefined;
}

export async function deleteCognitoSession(phone: string): Promise<void> {
  await deleteItem(sessionKey(phone));
}
