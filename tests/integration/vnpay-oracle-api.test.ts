/**
 * querydr and refund with the `vnpay` npm package (2.5.0) as an independent client of the
 * emulator: its pipe-joined request hashes must be accepted (our verifiers), and its check of
 * the querydr answer must accept what the emulator signs (our signer). Its refund answer check
 * is not used: it divides vnp_Amount by 100 before hashing, so it never verifies a real answer.
 * The same payment is then queried by our provider's path, so both clients see one state.
 */
import { VNPay } from 'vnpay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryVnpayTransaction, readQueryDr } from '../../shared/payments/vnpay/provider.ts';
import { vnpDate } from '../../shared/payments/vnpay/protocol.ts';
import {
  HASH_SECRET,
  TMN_CODE,
  confirmedIntent,
  payAtEmulator,
  startVnpayWorld,
  type VnpayWorld,
} from './vnpay-world.ts';

let world: VnpayWorld;
let theirs: VNPay;
beforeAll(async () => {
  world = await startVnpayWorld();
  theirs = new VNPay({
    tmnCode: TMN_CODE,
    secureSecret: HASH_SECRET,
    vnpayHost: world.emulator.url,
    queryDrAndRefundHost: world.emulator.url,
  });
});
afterAll(() => world.stop());

describe('vnpay package against the emulator', () => {
  it('querydr: their request is accepted, our signed answer verifies with them', async () => {
    const intent = await confirmedIntent(world.payments, 199_000);
    await payAtEmulator(intent, 'success');
    await world.emulator.emulator.ipnIdle();
    const txnRef = intent.metadata.vnp_txn_ref!;
    const transactionNo = Number(
      (await world.payments.paymentIntents.retrieve(intent.id)).metadata.vnp_transaction_no,
    );
    const answer = await theirs.queryDr({
      vnp_TransactionNo: transactionNo,
      vnp_RequestId: `Q${Date.now()}`,
      vnp_IpAddr: '127.0.0.1',
      vnp_TxnRef: txnRef,
      vnp_OrderInfo: `Truy van ${txnRef}`,
      vnp_TransactionDate: Number(intent.metadata.vnp_create_date),
      vnp_CreateDate: Number(vnpDate(new Date())),
    });
    expect(answer).toMatchObject({
      isVerified: true,
      isSuccess: true,
      vnp_ResponseCode: '00',
      vnp_TxnRef: txnRef,
      vnp_Amount: '19900000',
      vnp_TransactionStatus: '00',
    });
    // Ours reads the same payment the same way.
    const ours = readQueryDr(
      await queryVnpayTransaction(
        world.settings,
        { txnRef, createDate: intent.metadata.vnp_create_date! },
        new Date(),
      ),
    );
    expect(ours).toMatchObject({ state: 'succeeded', amount: 199_000 });
    // A forged answer fails their check too: sign with another secret.
    const forger = new VNPay({
      tmnCode: TMN_CODE,
      secureSecret: 'another-secret',
      vnpayHost: world.emulator.url,
      queryDrAndRefundHost: world.emulator.url,
    });
    const refused = await forger.queryDr({
      vnp_TransactionNo: transactionNo,
      vnp_RequestId: `Q${Date.now()}x`,
      vnp_IpAddr: '127.0.0.1',
      vnp_TxnRef: txnRef,
      vnp_OrderInfo: 'Truy van',
      vnp_TransactionDate: Number(intent.metadata.vnp_create_date),
      vnp_CreateDate: Number(vnpDate(new Date())),
    });
    // The emulator refuses the request's checksum (97); its answer, signed with our secret, fails theirs.
    expect(refused).toMatchObject({ vnp_ResponseCode: '97', isVerified: false });
  });

  it('refund: their request hash is accepted and the refund is processed', async () => {
    const intent = await confirmedIntent(world.payments, 150_000);
    await payAtEmulator(intent, 'success');
    await world.emulator.emulator.ipnIdle();
    const paid = await world.payments.paymentIntents.retrieve(intent.id);
    const txnRef = paid.metadata.vnp_txn_ref!;
    const answer = await theirs.refund({
      vnp_RequestId: `R${Date.now()}`,
      vnp_IpAddr: '127.0.0.1',
      vnp_TxnRef: txnRef,
      vnp_OrderInfo: `Hoan tien ${txnRef}`,
      vnp_Amount: 50_000,
      vnp_TransactionType: '03',
      vnp_TransactionNo: Number(paid.metadata.vnp_transaction_no),
      vnp_TransactionDate: Number(paid.metadata.vnp_create_date),
      vnp_CreateBy: 'quanly',
      vnp_CreateDate: Number(vnpDate(new Date())),
    });
    expect(answer.vnp_ResponseCode).toBe('00');
    expect(world.emulator.emulator.transactions.get(txnRef)!.refunds).toEqual([
      expect.objectContaining({ transactionType: '03', amount: 5_000_000, createBy: 'quanly' }),
    ]);
  });
});
