/**
 * Domain errors carry a stable code (`product.not_found`) and a kind; the API maps the kind to
 * an HTTP status in one place. Messages are for people: say what to do next.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const invalid = (code: string, message: string) => new DomainError('invalid', code, message);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const rateLimited = (code: string, message: string) => new DomainError('rate_limited', code, message);
export const unavailable = (code: string, message: string) => new DomainError('unavailable', code, message);
