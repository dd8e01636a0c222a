/**
 * Digital-identity sign-in state and links (shared/auth/identity.ts):
 *   IDSTATE#<state> / STATE            identity_state  one authorization request in flight: PKCE
 *                                      verifier, nonce, the account it links to; TTL 10 minutes, single use
 *   IDLINK#<issuer>#<subject> / LINK   identity_link   an identity → the one account it is linked to
 *   ACCOUNT#<sub> / ACCOUNT            `identity` attribute: { issuer, verifiedAt, name } (đã định danh),
 *                                      and `identityLink`: the key of its IDLINK item, so the account
 *                                      can remove its own link (unlinking)
 */
import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';
import { getConsistent, isConditionFailure, putItem } from './item-access.ts';

const stateKey = (state: string) => ({ pk: `IDSTATE#${state}`, sk: 'STATE' });
const linkKey = (issuer: string, subject: string) => ({ pk: `IDLINK#${issuer}#${subject}`, sk: 'LINK' });
const accountKey = (sub: string) => ({ pk: `ACCOUNT#${sub}`, sk: 'ACCOUNT' });

export interface IdentityRequest {
  mode: 'link' | 'signIn';
  /** The signed-in account that asked to link (mode `link`). */
  accountSub?: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** What the account shows as "đã định danh": no national id number, only the verified name. */
export interface VerifiedIdentity {
  issuer: string;
  verifiedAt: string;
  name?: string;
}

export async function putIdentityRequest(state: string, request: IdentityRequest): Promise<void> {
  await putItem({ ...stateKey(state), type: 'identity_state', ...request });
}

/** Deletes the request and returns it: only the first caller gets it (single use). */
export async function consumeIdentityRequest(state: string): Promise<IdentityRequest | undefined> {
  const { doc, tableName } = db();
  try {
    const { Attributes } = await doc.send(
      new DeleteCommand({
        TableName: tableName,
        Key: stateKey(state),
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (!Attributes) return undefined;
    return {
      mode: Attributes.mode === 'link' ? 'link' : 'signIn',
      ...(typeof Attributes.accountSub === 'string' ? { accountSub: Attributes.accountSub } : {}),
      codeVerifier: String(Attributes.codeVerifier),
      nonce: String(Attributes.nonce),
      redirectUri: String(Attributes.redirectUri),
      expiresAt: Number(Attributes.expiresAt),
    };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** The account an identity is linked to. */
export async function linkedAccount(issuer: string, subject: string): Promise<string | undefined> {
  const item = await getConsistent(linkKey(issuer, subject));
  return item ? String(item.accountSub) : undefined;
}

export async function verifiedIdentityOf(accountSub: string): Promise<VerifiedIdentity | undefined> {
  const { doc, tableName } = db();
  const { Item } = await doc.send(
    new GetCommand({
      TableName: tableName,
      Key: accountKey(accountSub),
      ProjectionExpression: '#identity',
      ExpressionAttributeNames: { '#identity': 'identity' },
    }),
  );
  const identity = Item?.identity as VerifiedIdentity | undefined;
  return identity
    ? {
        issuer: identity.issuer,
        verifiedAt: identity.verifiedAt,
        ...(identity.name ? { name: identity.name } : {}),
      }
    : undefined;
}

export type LinkOutcome = 'linked' | 'already_linked' | 'identity_taken' | 'account_has_other' | 'no_account';

/**
 * Links the identity to the account and marks the account verified, in one transaction: the link
 * item is written only if no account holds the identity yet, and the account only if it exists
 * and has no identity yet. Linking the same pair again is answered `already_linked`.
 */
export async function linkIdentity(
  accountSub: string,
  issuer: string,
  subject: string,
  identity: VerifiedIdentity,
): Promise<LinkOutcome> {
  const { doc, tableName } = db();
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...linkKey(issuer, subject),
                type: 'identity_link',
                accountSub,
                linkedAt: identity.verifiedAt,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: accountKey(accountSub),
              UpdateExpression: 'SET #identity = :identity, #link = :link',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#identity)',
              ExpressionAttributeNames: { '#identity': 'identity', '#link': 'identityLink' },
              ExpressionAttributeValues: { ':identity': identity, ':link': linkKey(issuer, subject).pk },
            },
          },
        ],
      }),
    );
    return 'linked';
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    const holder = await linkedAccount(issuer, subject);
    if (holder === accountSub) return 'already_linked';
    if (holder) return 'identity_taken';
    const account = await getConsistent(accountKey(accountSub));
    if (!account) return 'no_account';
    return 'account_has_other';
  }
}

/** The identity an account is linked to, as the link key names it (for unlinking). */
export async function identityLinkOf(
  accountSub: string,
): Promise<{ issuer: string; subject: string } | undefined> {
  const account = await getConsistent(accountKey(accountSub));
  const link = typeof account?.identityLink === 'string' ? account.identityLink : undefined;
  const identity = account?.identity as VerifiedIdentity | undefined;
  if (!link || !identity || !link.startsWith(`IDLINK#${identity.issuer}#`)) return undefined;
  return { issuer: identity.issuer, subject: link.slice(`IDLINK#${identity.issuer}#`.length) };
}

export type UnlinkOutcome = 'unlinked' | 'not_linked';

/**
 * Removes the account's link, in one transaction: the IDLINK item only if it names this account
 * (another account's link can never be deleted this way), and the account's "đã định danh" mark
 * only if it still points at that link.
 */
export async function unlinkIdentity(
  accountSub: string,
  issuer: string,
  subject: string,
): Promise<UnlinkOutcome> {
  const { doc, tableName } = db();
  const key = linkKey(issuer, subject);
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: key,
              ConditionExpression: 'accountSub = :sub',
              ExpressionAttributeValues: { ':sub': accountSub },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: accountKey(accountSub),
              UpdateExpression: 'REMOVE #identity, #link',
              ConditionExpression: '#link = :link',
              ExpressionAttributeNames: { '#identity': 'identity', '#link': 'identityLink' },
              ExpressionAttributeValues: { ':link': key.pk },
            },
          },
        ],
      }),
    );
    return 'unlinked';
  } catch (error) {
    if ((error as Error).name === 'TransactionCanceledException') return 'not_linked';
    throw error;
  }
}
