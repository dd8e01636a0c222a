/**
 * The order model's pure rules: the transition table, read through `canTransition`, against the
 * lifecycle written out edge by edge here (who may move a sub-order from where to where), and
 * `aggregateStatus`, the order's status from its sub-orders.
 */
import { describe, expect, it } from 'vitest';
import {
  aggregateStatus,
  canTransition,
  ORDER_STATUSES,
  TERMINAL,
  TRANSITIONS,
  type Actor,
  type OrderStatus,
} from '../../shared/orders/model.ts';

const ACTORS: readonly Actor[] = ['system', 'shopper', 'manager'];

/** The lifecycle as the product describes it, independently of the table's encoding. */
const EXPECTED_EDGES: readonly [OrderStatus, OrderStatus, Actor][] = [
  // Online payments: the rail (system) settles or the timer expires; shopper or manager may cancel.
  ['pending_payment', 'placed', 'system'],
  ['pending_payment', 'expired', 'system'],
  ['pending_payment', 'cancelled', 'shopper'],
  ['pending_payment', 'cancelled', 'manager'],
  // The shopper may cancel only until the cooperative confirms.
  ['placed', 'confirmed', 'manager'],
  ['placed', 'cancelled', 'shopper'],
  ['placed', 'cancelled', 'manager'],
  ['confirmed', 'packed', 'manager'],
  ['confirmed', 'cancelled', 'manager'],
  ['packed', 'shipped', 'manager'],
  ['packed', 'cancelled', 'manager'],
  ['shipped', 'delivered', 'manager'],
  ['shipped', 'cancelled', 'manager'],
  // The carrier's events: picked up, delivered, or returned to the cooperative (stock back).
  ['packed', 'shipped', 'system'],
  ['shipped', 'delivered', 'system'],
  ['packed', 'cancelled', 'system'],
  ['shipped', 'cancelled', 'system'],
  ['delivered', 'completed', 'manager'],
  ['delivered', 'completed', 'system'],
  ['delivered', 'refunded', 'manager'],
  ['completed', 'refunded', 'manager'],
];

const allowed = new Set(EXPECTED_EDGES.map(([from, to, actor]) => `${from}>${to}>${actor}`));

describe('the transition table', () => {
  it('has a row for every status and names only known statuses and actors', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    for (const [from, row] of Object.entries(TRANSITIONS)) {
      for (const [to, actors] of Object.entries(row)) {
        expect(ORDER_STATUSES, `${from} → ${to}`).toContain(to);
        expect(actors!.length, `${from} → ${to} has actors`).toBeGreaterThan(0);
        for (const actor of actors!) expect(ACTORS).toContain(actor);
      }
    }
  });

  it(`canTransition matches the lifecycle for all ${ACTORS.length}×${ORDER_STATUSES.length}×${ORDER_STATUSES.length} cases`, () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const actor of ACTORS) {
      for (const from of ORDER_STATUSES) {
        for (const to of ORDER_STATUSES) {
          checked += 1;
          const expected = allowed.has(`${from}>${to}>${actor}`);
          if (canTransition(from, to, actor) !== expected) {
            mismatches.push(`${actor}: ${from} → ${to} should be ${expected ? 'allowed' : 'refused'}`);
          }
        }
      }
    }
    expect(checked).toBe(300);
    expect(mismatches).toEqual([]);
  });

  it('never stays in place, never leaves cancelled/refunded/expired, never goes back to unpaid', () => {
    for (const actor of ACTORS) {
      for (const s of ORDER_STATUSES) expect(canTransition(s, s, actor), `${actor} ${s}→${s}`).toBe(false);
      for (const dead of ['cancelled', 'refunded', 'expired'] as const) {
        for (const to of ORDER_STATUSES) expect(canTransition(dead, to, actor), `${dead}→${to}`).toBe(false);
      }
      for (const from of ORDER_STATUSES) {
        expect(canTransition(from, 'pending_payment', actor), `${from}→pending_payment`).toBe(false);
      }
    }
  });

  it('the shopper can only cancel, and only before confirmation; only the system expires or settles', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        if (canTransition(from, to, 'shopper')) {
          expect(to).toBe('cancelled');
          expect(['pending_payment', 'placed']).toContain(from);
        }
        if (to === 'expired' || (from === 'pending_payment' && to === 'placed')) {
          expect(canTransition(from, to, 'manager'), `manager ${from}→${to}`).toBe(false);
          expect(canTransition(from, to, 'shopper'), `shopper ${from}→${to}`).toBe(false);
        }
      }
    }
    // Nothing that left the cooperative can be cancelled by the shopper.
    for (const from of ['confirmed', 'packed', 'shipped', 'delivered', 'completed'] as const) {
      expect(canTransition(from, 'cancelled', 'shopper')).toBe(false);
    }
  });

  it('every status is reachable from a new order (placed or pending_payment)', () => {
    const reached = new Set<OrderStatus>(['pending_payment', 'placed']);
    for (let grew = true; grew;) {
      grew = false;
      for (const from of [...reached]) {
        for (const to of Object.keys(TRANSITIONS[from]) as OrderStatus[]) {
          if (!reached.has(to)) {
            reached.add(to);
            grew = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it('terminal statuses lead nowhere but to a refund', () => {
    for (const s of TERMINAL) {
      for (const to of Object.keys(TRANSITIONS[s])) expect(to, `${s} → ${to}`).toBe('refunded');
    }
  });
});

describe('aggregateStatus', () => {
  const cases: [OrderStatus[], OrderStatus][] = [
    [['placed'], 'placed'],
    [['pending_payment', 'pending_payment'], 'pending_payment'],
    [['expired', 'expired'], 'expired'],
    [['cancelled', 'cancelled', 'cancelled'], 'cancelled'],
    // The least advanced live part.
    [['confirmed', 'placed'], 'placed'],
    [['shipped', 'packed', 'delivered'], 'packed'],
    [['delivered', 'completed'], 'delivered'],
    [['completed', 'completed', 'delivered'], 'delivered'],
    // Cancelled, refunded or expired parts do not hold the others back.
    [['placed', 'cancelled'], 'placed'],
    [['cancelled', 'shipped'], 'shipped'],
    [['delivered', 'cancelled', 'cancelled'], 'delivered'],
    [['pending_payment', 'cancelled'], 'pending_payment'],
    [['refunded', 'completed'], 'completed'],
    [['expired', 'placed'], 'placed'],
    // Every part ended: the most telling end.
    [['cancelled', 'refunded'], 'refunded'],
    [['refunded', 'cancelled', 'cancelled'], 'refunded'],
    [['cancelled', 'expired'], 'cancelled'],
  ];
  for (const [statuses, expected] of cases) {
    it(`[${statuses.join(', ')}] → ${expected}`, () => {
      expect(aggregateStatus(statuses)).toBe(expected);
    });
  }

  it('does not depend on the order of the sub-orders', () => {
    for (const [statuses, expected] of cases) {
      expect(aggregateStatus([...statuses].reverse()), statuses.join(',')).toBe(expected);
    }
  });

  it('an order without sub-orders is an error', () => {
    expect(() => aggregateStatus([])).toThrow(/at least one sub-order/);
  });
});
