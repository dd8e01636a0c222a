/**
 * Consumer-side dedupe: webhooks are delivered at least once, so a receiver claims each event
 * id with a conditional put before acting on it. If acting fails, `releaseEvent` lets the
 * sender's retry be processed.
 */
import { claimSeenEvent, releaseSeenEvent } from '../db/payment-events.ts';

/** True the first time `eventId` is claimed in `scope`; false for a duplicate delivery. */
export async function claimEvent(eventId: string, scope = 'default', now = new Date()): Promise<boolean> {
  return claimSeenEvent(scope, eventId, now);
}

export async function releaseEvent(eventId: string, scope = 'default'): Promise<void> {
  await releaseSeenEvent(scope, eventId);
}
