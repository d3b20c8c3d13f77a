/**
 * Domain errors, independent of HTTP. The transport maps each kind to the platform's status code
 * and to the V2 (array) or V3 (`{status,title,type,errors}`) envelope of the route it came from.
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'unprocessable' | 'too-large' | 'too-many-concurrent' | 'bad-request';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** Field errors (`field -> message`), for 422s. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not-found', `The requested ${what} was not found.`);
export const unprocessable = (message: string, fields: Record<string, string> = {}) => new DomainError('unprocessable', message, fields);
export const conflict = (message: string, fields: Record<string, string> = {}) => new DomainError('conflict', message, fields);
