import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

/** Serves `fetch` on `port` (0: a free one) of `host`: the emulators' one way to listen. */
export async function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  host: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = await new Promise<ServerType>((ready, fail) => {
    const s = serve({ fetch, port, hostname: host }, () => ready(s));
    s.once('error', fail);
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}
