/**
 * The SMS adapter (functions/adapters/sns-messenger.ts): one SNS Publish per message, straight
 * to the E.164 number, Transactional, with the sender id when configured.
 */
import type { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { createSnsMessenger, toE164 } from '../../functions/adapters/sns-messenger.ts';

function recordingClient() {
  const sent: PublishCommand['input'][] = [];
  return { sent, client: { send: async (command: PublishCommand) => void sent.push(command.input) } };
}

describe('SMS through SNS', () => {
  it('writes Vietnamese numbers in E.164', () => {
    expect(toE164('+84987654321')).toBe('+84987654321');
    expect(toE164('0987 654 321')).toBe('+84987654321');
    expect(toE164('84912000101')).toBe('+84912000101');
    expect(() => toE164('12345')).toThrow(/phone number/);
  });

  it('publishes the text, Transactional, with the sender id when one is set', async () => {
    const { sent, client } = recordingClient();
    const text = 'Mã xác nhận đơn TN-7K3Q9: 123456. Xem https://cho.example.vn/don-hang/?ma=TN-7K3Q9';
    await createSnsMessenger({ client: client as never, senderId: 'OCOPTN' }).send({
      to: '0987654321',
      kind: 'notification',
      text,
    });
    expect(sent).toEqual([
      {
        PhoneNumber: '+84987654321',
        Message: text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'OCOPTN' },
        },
      },
    ]);
    await createSnsMessenger({ client: client as never }).send({
      to: '+84912000101',
      kind: 'consent_code',
      text,
    });
    expect(Object.keys(sent[1]!.MessageAttributes!)).toEqual(['AWS.SNS.SMS.SMSType']);
  });

  it('lets a refused Publish fail the send (the caller decides whether that fails the request)', async () => {
    const messenger = createSnsMessenger({
      client: { send: async () => Promise.reject(new Error('Monthly spend limit reached')) } as never,
    });
    await expect(messenger.send({ to: '+84912000101', kind: 'notification', text: 'x' })).rejects.toThrow(
      /spend limit/,
    );
  });
});
