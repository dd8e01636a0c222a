/**
 * The local stand-ins of the IOC feed (shared/stats/ioc.ts): a small receiver that plays the
 * IOC's side (checks each delivery's signature as the README tells the IOC to, and lists every
 * delivery on its page), and `runIocDelivery`, the local copy of the AWS queue's rounds: a push
 * (with its own retries, shared/stats/ioc-push.ts) per receive, `maxReceives` rounds, then the
 * day goes to the dead letters, as SQS moves it to the feed's dead-letter queue.
 * `npm start` runs the receiver and prints its address; `npm run ioc:push -- --date YYYY-MM-DD`
 * pushes a day to it by hand.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IOC_DELIVERY_HEADER, IOC_SIGNATURE_HEADER, verifyIocDelivery } from '../../shared/stats/ioc.ts';
import {
  IocPushError,
  pushIocExport,
  type IocPushOptions,
  type IocPushResult,
} from '../../shared/stats/ioc-push.ts';

export interface IocDelivery {
  receivedAt: string;
  deliveryId: string;
  /** The export's date, when the body could be read. */
  date?: string;
  /** The status the receiver answered. */
  status: number;
  verified: boolean;
  problem?: string;
  bytes: number;
  /** The day's order count as published (null: withheld), to glance at on the page. */
  dayOrders?: number | null;
}

export interface RunningIocReceiver {
  url: string;
  /** Where the exchange pushes (IOC_ENDPOINT). */
  endpoint: string;
  deliveries: IocDelivery[];
  /** Answer every delivery with `status` (e.g. 503) to see the retries; undefined: accept again. */
  failWith(status: number | undefined): void;
  stop(): Promise<void>;
}

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function page(deliveries: readonly IocDelivery[]): string {
  const rows = deliveries
    .toReversed()
    .map(
      (d) =>
        `<tr><td>${escape(d.receivedAt)}</td><td>${escape(d.deliveryId)}</td><td>${escape(d.date ?? '')}</td><td>${d.status}</td><td>${d.verified ? 'hợp lệ' : `không hợp lệ: ${escape(d.problem ?? '')}`}</td><td>${d.dayOrders === undefined ? '' : (d.dayOrders ?? 'ẩn (ít hơn 5)')}</td><td>${d.bytes}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Nhận dữ liệu IOC (giả lập)</title>
<h1>Trung tâm IOC (giả lập) — các lần nhận dữ liệu</h1>
<p>Mỗi lần sàn đẩy dữ liệu ngày (POST, chữ ký X-IOC-Signature) hiện ở đây. Đẩy bằng tay: <code>npm run ioc:push -- --date YYYY-MM-DD</code>.</p>
<table border="1" cellpadding="4"><caption>${deliveries.length} lần nhận</caption><thead><tr><th scope="col">Lúc nhận</th><th scope="col">Mã gửi</th><th scope="col">Ngày dữ liệu</th><th scope="col">Trả lời</th><th scope="col">Chữ ký</th><th scope="col">Đơn trong ngày</th><th scope="col">Byte</th></tr></thead><tbody>${rows || '<tr><td colspan="7">Chưa nhận lần nào.</td></tr>'}</tbody></table></html>`;
}

export async function startIocReceiver(options: {
  secret: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}): Promise<RunningIocReceiver> {
  const deliveries: IocDelivery[] = [];
  let failing: number | undefined;
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(deliveries));
      return;
    }
    if (req.method === 'GET' && req.url === '/deliveries.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(deliveries));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/ioc') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers[IOC_SIGNATURE_HEADER];
      const record: IocDelivery = {
        receivedAt: new Date().toISOString(),
        deliveryId: String(req.headers[IOC_DELIVERY_HEADER] ?? ''),
        status: 200,
        verified: false,
        bytes: Buffer.byteLength(raw),
      };
      try {
        const body = verifyIocDelivery(
          raw,
          typeof signature === 'string' ? signature : undefined,
          options.secret,
        );
        record.verified = true;
        record.date = body.date;
        record.dayOrders = body.day.orders;
      } catch (error) {
        record.status = 401;
        record.problem = error instanceof Error ? error.message : String(error);
      }
      if (record.verified && failing !== undefined) record.status = failing;
      deliveries.push(record);
      options.log?.(
        `IOC receiver: ${record.deliveryId} ${record.verified ? 'signature ok' : `refused (${record.problem})`}, answered ${record.status}`,
      );
      res
        .writeHead(record.status, { 'content-type': 'application/json' })
        .end(
          JSON.stringify(
            record.status === 200 ? { received: record.deliveryId } : { error: record.problem ?? 'failing' },
          ),
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    endpoint: `${url}/ioc`,
    deliveries,
    failWith: (status) => void (failing = status),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface IocDeadLetter {
  date: string;
  receives: number;
  lastProblem: string;
  at: string;
}

export type IocDeliveryOutcome =
  | { delivered: true; receives: number; result: IocPushResult }
  | { delivered: false; receives: number; deadLetter: IocDeadLetter };

/**
 * One day through the local rounds: up to `maxReceives` pushes (each with its own attempts),
 * `retryAfterMs` apart, then a dead letter (`deadLetters` gets it), as the AWS queue does.
 */
export async function runIocDelivery(
  date: string,
  options: IocPushOptions & {
    maxReceives: number;
    retryAfterMs?: number;
    deadLetters?: IocDeadLetter[];
  },
): Promise<IocDeliveryOutcome> {
  let lastProblem = '';
  for (let receive = 1; receive <= options.maxReceives; receive++) {
    try {
      return { delivered: true, receives: receive, result: await pushIocExport(date, options) };
    } catch (error) {
      if (!(error instanceof IocPushError)) throw error;
      lastProblem = error.lastProblem;
    }
    if (receive < options.maxReceives && options.retryAfterMs)
      await (options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(options.retryAfterMs);
  }
  const deadLetter = { date, receives: options.maxReceives, lastProblem, at: new Date().toISOString() };
  options.deadLetters?.push(deadLetter);
  return { delivered: false, receives: options.maxReceives, deadLetter };
}
