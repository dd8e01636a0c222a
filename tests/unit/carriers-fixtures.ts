/**
 * A stand-in for the carrier's host in the provider unit tests: it answers the recorded
 * exchanges of tests/fixtures/carriers/*.json and keeps every request the provider sent, so a
 * test compares them field by field with what the carrier documents.
 */
import { expect } from 'vitest';

export interface Exchange {
  request?: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number; body?: unknown; contentType?: string; text?: string; base64?: string };
}

export interface SentRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export const BASE_URL = 'https://carrier.test';

/** Answers each request with the exchange `route` picks for it (by path); records the requests. */
export function fixtureFetch(route: (path: string, method: string) => Exchange | 'timeout') {
  const sent: SentRequest[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    expect(url.origin).toBe(BASE_URL);
    const path = `${url.pathname}${url.search}`;
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const method = init?.method ?? 'GET';
    sent.push({ method, path, headers, body });
    const exchange = route(path, method);
    if (exchange === 'timeout') {
      const error = new Error('The operation was aborted due to timeout');
      error.name = 'TimeoutError';
      throw error;
    }
    const { response } = exchange;
    if (response.text !== undefined || response.base64 !== undefined) {
      const bytes = response.base64 !== undefined ? Buffer.from(response.base64, 'base64') : response.text!;
      return new Response(bytes, {
        status: response.status,
        headers: { 'content-type': response.contentType! },
      });
    }
    return Response.json(response.body, { status: response.status });
  }) as typeof fetch;
  return { fetch: fetchImpl, sent };
}

/** The request the provider sent matches the recorded one: method, path, headers, every body field. */
export function expectSent(sent: SentRequest | undefined, recorded: NonNullable<Exchange['request']>): void {
  expect(sent).toBeDefined();
  expect(sent!.method).toBe(recorded.method);
  expect(sent!.path).toBe(recorded.path);
  for (const [name, value] of Object.entries(recorded.headers ?? {})) expect(sent!.headers[name]).toBe(value);
  if (recorded.body !== undefined) expect(sent!.body).toStrictEqual(recorded.body);
}
