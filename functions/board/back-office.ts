/**
 * The office function's own routes (functions/office/routes.ts): a cooperative imports its
 * carrier's COD statement, an admin matches the transfers no order claimed, a manager or an admin
 * records a refund made by hand. Out of the board function, with the programme report and the
 * e-invoice routes, so that the board stays within its bundle budget. The rules live in
 * shared/orders and shared/payments.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { nextCursor, openOptionalCursor } from '../../shared/domain/cursor.ts';
import { forbidden, notFound } from '../../shared/domain/errors.ts';
import { isAdmin, managedCooperativeId, type Principal } from '../../shared/domain/permissions.ts';
import { getOrderWithSubs } from '../../shared/db/orders.ts';
import { importCodStatement } from '../../shared/orders/cod-statements.ts';
import { recordPartRefund } from '../../shared/orders/part-refunds.ts';
import type { PaymentIntent } from '../../shared/payments/types.ts';
import { validate } from '../http.ts';
import { exchangePayments } from '../orders/payments.ts';
import { settleOrderOf, statusView } from '../orders/settle.ts';
import type { SignedInEnv } from '../principal.ts';
import { backOfficeOperations as o } from './back-office-operations.ts';

export function registerBackOfficeRoutes(app: Hono<SignedInEnv>): void {
  app.on(
    o.importCodStatement.method,
    o.importCodStatement.honoPath,
    validate('param', o.importCodStatement.request.param),
    validate('json', o.importCodStatement.request.json),
    async (c) => {
      const { fulfillerId } = c.req.valid('param');
      return c.json(
        await importCodStatement(c.get('principal'), fulfillerId, c.req.valid('json'), { now: new Date() }),
      );
    },
  );

  app.on(
    o.listUnmatchedTransfers.method,
    o.listUnmatchedTransfers.honoPath,
    validate('query', o.listUnmatchedTransfers.request.query),
    async (c) => {
      requireAdmin(c.get('principal'));
      const { payments } = await exchangePayments();
      const q = c.req.valid('query');
      const scope = 'unmatched-transfers';
      const after = openOptionalCursor(scope, q.cursor, z.string().min(1).max(300));
      if (!payments.vietqr) return c.json({ items: [], nextCursor: null });
      const page = await payments.vietqr.listUnmatchedPage({ limit: q.limit, ...(after ? { after } : {}) });
      return c.json({ items: page.items, nextCursor: nextCursor(scope, page.next) });
    },
  );

  app.on(
    o.matchTransfer.method,
    o.matchTransfer.honoPath,
    validate('param', o.matchTransfer.request.param),
    validate('json', o.matchTransfer.request.json),
    async (c) => {
      const principal = c.get('principal');
      requireAdmin(principal);
      const { payments } = await exchangePayments();
      if (!payments.vietqr) throw notFound('payment.vietqr_disabled', 'VietQR is not enabled');
      const body = c.req.valid('json');
      let paymentIntentId = body.paymentIntentId;
      if (body.orderCode) {
        const found = await getOrderWithSubs(body.orderCode);
        if (!found)
          throw notFound('order.not_found', `Không có đơn ${body.orderCode} / No order ${body.orderCode}`);
        paymentIntentId = found.order.paymentIntentId;
      }
      const intent = await payments.vietqr.matchByHand(c.req.valid('param').transferId, paymentIntentId!, {
        matched_by: principal.sub,
      });
      await settleOrderOf(intent);
      return c.json(statusView(intent));
    },
  );

  app.on(
    o.recordManualRefund.method,
    o.recordManualRefund.honoPath,
    validate('param', o.recordManualRefund.request.param),
    validate('json', o.recordManualRefund.request.json),
    async (c) => {
      const principal = c.get('principal');
      const { payments } = await exchangePayments();
      const intent = await payments.paymentIntents.retrieve(c.req.valid('param').paymentIntentId);
      if (!canRefundByHand(principal, intent)) {
        throw forbidden(
          'payment.refund_forbidden',
          'Chỉ quản lý hợp tác xã của đơn này hoặc quản trị viên mới ghi nhận hoàn tiền được / ' +
            'Only a manager of a cooperative in this order, or an admin, may record a refund',
        );
      }
      const body = c.req.valid('json');
      const idempotencyKey = c.req.header('idempotency-key');
      // A cooperative's manager refunds only its own part; an admin may refund the whole payment.
      const cooperativeId = isAdmin(principal) ? undefined : managedCooperativeId(principal);
      const refund = cooperativeId
        ? await recordPartRefund(payments, intent, cooperativeId, {
            ...body,
            recordedBy: principal.sub,
            idempotencyKey,
          })
        : await payments.refunds.create(
            {
              payment_intent: intent.id,
              ...(body.amount !== undefined ? { amount: body.amount } : {}),
              reason: 'requested_by_customer',
              metadata: { manual: 'true', method: body.method, note: body.note, recorded_by: principal.sub },
            },
            { idempotencyKey },
          );
      return c.json({ id: refund.id, status: refund.status, amount: refund.amount }, 201);
    },
  );

  function requireAdmin(principal: Principal): void {
    if (!isAdmin(principal)) {
      throw forbidden('payment.admin_only', 'Chỉ quản trị viên mới làm được việc này / Admins only');
    }
  }
}

/**
 * An admin, or the manager of a cooperative named in the payment's metadata (`cooperative_ids`,
 * space-separated: the orders that create payments list the cooperatives they pay).
 */
export function canRefundByHand(principal: Principal, intent: PaymentIntent): boolean {
  if (isAdmin(principal)) return true;
  const managed = managedCooperativeId(principal);
  if (!managed) return false;
  return (intent.metadata.cooperative_ids ?? '').split(' ').includes(managed);
}
