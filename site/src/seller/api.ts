/**
 * The seller pages' one door to the JSON API (same origin, /api/...): adds the bearer token,
 * turns `{ error: { code, message, issues } }` answers into an ApiError the forms can show next
 * to each field, and sends the seller back to sign-in when the token is refused. The words shown
 * come from the Vietnamese table keyed by the error code (shared/domain/seller-messages.ts).
 */
import { messageForCode, statusMessage } from '../../../shared/domain/seller-messages.ts';
import { clearSession, loadSession, SIGN_IN_PATH, signInUrl } from './session.ts';

export interface FieldIssue {
  /** Dotted path into the request body, e.g. `address.communeCode`, `packs.0.price`. */
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Words for an answer with no known code: the status says what kind of failure it was. */
function fallbackMessage(status: number): string {
  return statusMessage(status);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | undefined>;
  /** Send the bearer token (default true). */
  auth?: boolean;
  /** What a 401 means: back to sign-in (default), or an error for the caller (sign-in form). */
  on401?: 'redirect' | 'throw';
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, value);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.auth !== false) {
    const session = loadSession();
    if (!session) {
      if (options.on401 !== 'throw' && location.pathname !== SIGN_IN_PATH)
        location.assign(signInUrl(undefined, true));
      throw new ApiError(401, 'auth.missing', fallbackMessage(401));
    }
    headers.authorization = `Bearer ${session.token}`;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', fallbackMessage(0));
  }
  if (response.ok) return response;
  throw await toApiError(response, options);
}

async function toApiError(response: Response, options: RequestOptions): Promise<ApiError> {
  let code = `http.${response.status}`;
  let issues: FieldIssue[] = [];
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; issues?: FieldIssue[] };
    };
    if (body.error) {
      code = body.error.code ?? code;
      issues = Array.isArray(body.error.issues) ? body.error.issues : [];
    }
  } catch {
    // not JSON (a proxy's error page): keep the fallback words
  }
  if (response.status === 401 && options.auth !== false) {
    clearSession();
    // The sign-in page shows its form itself; every other page goes there.
    if (options.on401 !== 'throw' && location.pathname !== SIGN_IN_PATH)
      location.assign(signInUrl(undefined, true));
  }
  return new ApiError(response.status, code, messageForCode(code, response.status), issues);
}

/** A JSON request; resolves with the parsed body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Pages fetched by `apiItems` before it stops: 20 pages of 100. */
const MAX_PAGES = 20;

/** Every item of a paged list, page after page (the API answers at most 100 a page). */
export async function apiItems<T>(path: string, options: RequestOptions = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api<{ items: T[]; nextCursor?: string | null }>(path, {
      ...options,
      query: { ...options.query, limit: '100', cursor },
    });
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}

/** A binary answer (a QR label), for an object URL. */
export async function apiBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await send(path, options, '*/*');
  return response.blob();
}

/** Any thrown value as words for people. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return fallbackMessage(500);
}

export const enc = encodeURIComponent;
