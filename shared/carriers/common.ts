/**
 * What every carrier provider shares: the carriers' names as shoppers read them, the HTTP call
 * with a timeout (a carrier that does not answer in time is `CarrierError('timeout')`, one that
 * cannot be reached or answers 5xx is `unavailable`), Vietnam-time dates, and the constant-time
 * check of a webhook's token.
 */
import { timingSafeEqual } from 'node:crypto';
import { CarrierError, type CarrierId, type WebhookRequest } from './types.ts';

export const CARRIER_NAMES: Readonly<Record<CarrierId, string>> = {
  ghn: 'Giao Hàng Nhanh (GHN)',
  ghtk: 'Giao Hàng Tiết Kiệm (GHTK)',
  viettelpost: 'Viettel Post',
  manual: 'Hợp tác xã tự giao',
};

/** How long a call to a carrier may take before it counts as a timeout. */
export const DEFAULT_CARRIER_TIMEOUT_MS = 5_000;

export interface HttpSettings {
  /** The carrier's host, without trailing slash (the real one, its sandbox or the emulator). */
  baseUrl: string;
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface CarrierResponse {
  status: number;
  /** The parsed JSON body, or undefined when it was not JSON. */
  json: unknown;
  bytes: Uint8Array;
  contentType: string;
}

/** One request to a carrier. Only the failures of transport are thrown here; the body is the caller's. */
export async function carrierRequest(
  carrier: CarrierId,
  settings: HttpSettings,
  path: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: unknown },
): Promise<CarrierResponse> {
  const doFetch = settings.fetch ?? fetch;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_CARRIER_TIMEOUT_MS;
  let response: Response;
  let bytes: Uint8Array;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    response = await doFetch(`${settings.baseUrl}${path}`, {
      method: init.method,
      headers: {
        ...init.headers,
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal,
    });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new CarrierError(
        'timeout',
        `${CARRIER_NAMES[carrier]} không trả lời trong ${Math.round(timeoutMs / 1000)} giây`,
        carrier,
      );
    }
    throw new CarrierError('unavailable', `Không kết nối được ${CARRIER_NAMES[carrier]}`, carrier);
  }
  if (response.status >= 500) {
    throw new CarrierError(
      'unavailable',
      `${CARRIER_NAMES[carrier]} đang gặp sự cố (HTTP ${response.status})`,
      carrier,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new CarrierError(
      'unauthorized',
      `${CARRIER_NAMES[carrier]} từ chối khóa truy cập (token) của sàn`,
      carrier,
    );
  }
  const contentType = response.headers.get('content-type') ?? '';
  let json: unknown;
  if (contentType.includes('json')) {
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, json, bytes, contentType };
}

/** A date as `YYYY-MM-DD` in Vietnam time (UTC+7, no daylight saving). */
export function vietnamDate(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** `days` calendar days after `at`, as a Vietnam date. */
export function vietnamDateAfter(at: Date, days: number): string {
  return vietnamDate(new Date(at.getTime() + days * 86_400_000));
}

/**
 * Checks the token the exchange put in the webhook URL it registered with the carrier
 * (`…/webhook?token=…`), in constant time; `CarrierError('unauthorized')` when it is missing or
 * wrong. GHN and GHTK sign nothing: the secret URL is the check they allow.
 */
export function checkWebhookToken(carrier: CarrierId, request: WebhookRequest, expected: string): void {
  const given = request.query.token ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (!expected || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new CarrierError('unauthorized', `Webhook ${CARRIER_NAMES[carrier]}: token không đúng`, carrier);
  }
}

/** The webhook body as JSON, or `CarrierError('bad_request')`. */
export function webhookJson(carrier: CarrierId, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new CarrierError(
      'bad_request',
      `Webhook ${CARRIER_NAMES[carrier]}: nội dung không phải JSON`,
      carrier,
    );
  }
}
