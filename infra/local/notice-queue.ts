/**
 * The local stand-in for the Notices queue and its worker (infra/constructs/notices.ts): a
 * request's `send` puts the message here and returns; right after (setImmediate) the same worker
 * step as in AWS (`deliverNotice`, through the channel router) sends it in the background, a few
 * at a time. A send that fails is tried again with a growing wait, as SQS delivers it again
 * after its visibility timeout; after the last try the message is logged as dropped (the
 * dead-letter queue of AWS).
 *
 * Each message runs in the async context of the request that queued it, so its logs carry that
 * request's correlation id. `drained()` waits until nothing is queued, sending or waiting for a
 * retry: the dev inbox (infra/local/dev-services.ts), the tests and the benchmarks read after it.
 */
import { AsyncResource } from 'node:async_hooks';
import type { Messenger } from '../../shared/messaging/messenger.ts';
import {
  deliverNotice,
  serializeNotice,
  type NoticeQueue,
  type QueuedNotice,
} from '../../shared/messaging/notice-queue.ts';

export interface LocalNoticeQueueOptions {
  /** The worker's messenger: a channel router (so a message sent twice goes out once). */
  router: Messenger;
  /** Tries of one message before it is dropped. @default 4 */
  attempts?: number;
  /** Wait before the second try, doubled for each later one. @default 250 ms */
  backoffMs?: number;
  /** Messages sent at the same time (the worker's concurrency in AWS). @default 8 */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface LocalNoticeQueue extends NoticeQueue {
  /** Resolves once every queued message was sent or dropped, or after `timeoutMs` (then false). */
  drained(timeoutMs?: number): Promise<boolean>;
  /** Messages queued, sending or waiting for a retry. */
  pending(): number;
  /** Stops retrying: what is waiting is dropped (logged). */
  stop(): void;
}

interface Job {
  body: string;
  attempt: number;
  run: (work: () => Promise<void>) => Promise<void>;
  notice: Pick<QueuedNotice, 'kind' | 'to' | 'key'>;
}

const live = new Set<LocalNoticeQueue>();

/** Waits for every local notice queue of this process to drain (tests, benchmarks). */
export async function noticesDrained(timeoutMs = 30_000): Promise<boolean> {
  const results = await Promise.all([...live].map((queue) => queue.drained(timeoutMs)));
  return results.every(Boolean);
}

export function localNoticeQueue(options: LocalNoticeQueueOptions): LocalNoticeQueue {
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 250;
  const concurrency = options.concurrency ?? 8;
  const log = options.log ?? ((line: string) => console.warn(line));
  const ready: Job[] = [];
  const retries = new Map<NodeJS.Timeout, Job>();
  let sending = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const pending = () => ready.length + sending + retries.size;
  const settle = () => {
    if (pending() > 0) return;
    const done = waiters;
    waiters = [];
    for (const wake of done) wake();
  };

  const drop = (job: Job, reason: string) =>
    log(
      `notice dropped after ${job.attempt} tries (${job.notice.kind} to ${job.notice.to}, key ${job.notice.key}): ${reason}`,
    );

  const pump = () => {
    while (sending < concurrency && ready.length > 0) {
      const job = ready.shift()!;
      sending += 1;
      void job
        .run(() => deliverNotice(options.router, job.body))
        .then(
          () => undefined,
          (error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            if (stopped || job.attempt >= attempts) return drop(job, reason);
            const timer = setTimeout(
              () => {
                retries.delete(timer);
                if (stopped) return drop(job, 'the queue stopped');
                ready.push({ ...job, attempt: job.attempt + 1 });
                pump();
              },
              backoffMs * 2 ** (job.attempt - 1),
            );
            timer.unref();
            retries.set(timer, job);
          },
        )
        .finally(() => {
          sending -= 1;
          pump();
          settle();
        });
    }
  };

  const queue: LocalNoticeQueue = {
    enqueue(notice) {
      if (stopped) return Promise.reject(new Error('The notice queue is stopped'));
      // What goes on SQS: the serialized message, read back by the worker's own step.
      const body = serializeNotice(notice);
      const resource = new AsyncResource('LocalNotice');
      ready.push({
        body,
        attempt: 1,
        run: (work) => resource.runInAsyncScope(work),
        notice: { kind: notice.kind, to: notice.to, key: notice.key },
      });
      setImmediate(pump);
      return Promise.resolve();
    },
    drained(timeoutMs = 30_000) {
      if (pending() === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== wake);
          resolve(false);
        }, timeoutMs);
        timer.unref();
        const wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
        waiters.push(wake);
      });
    },
    pending,
    stop() {
      stopped = true;
      live.delete(queue);
      for (const [timer, job] of retries) {
        clearTimeout(timer);
        drop(job, 'the queue stopped');
      }
      retries.clear();
      for (const job of ready.splice(0)) drop(job, 'the queue stopped');
      settle();
    },
  };
  live.add(queue);
  return queue;
}
