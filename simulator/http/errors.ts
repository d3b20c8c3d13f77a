/**
 * The one error catalog of the HTTP edge, in the platform's own envelopes:
 * V2 answers an array of `{status, message}`; V3 answers `{status, title, type, errors}`
 * (bigcommerce-facts.md sections d and e). One middleware turns every thrown error into the right
 * envelope for the route's API version, so no handler formats errors by hand and nothing a
 * client sends can crash the server.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { OAuthError } from '../domain/apps.ts';
import { DomainError, type DomainErrorKind } from '../domain/errors.ts';

export const V3_ERROR_TYPE = '/api-docs/getting-started/api-status-codes';

/** `oauth`: login.bigcommerce.com's token endpoint, which answers RFC 6749 `{error, error_description}`. */
export type ApiVersion = 'v2' | 'v3' | 'control' | 'oauth';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** V3 title / V2 message. */
    message: string,
    readonly fields: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const messages = {
  unauthorized: 'Unauthorized - the v3 Auth client ID or token in the request are not a valid combination for this store.',
  v2Unauthorized: 'You are not authorized to access this resource. Send a valid X-Auth-Token header.',
  forbidden: 'Unauthorized Access. You do not have permission to make this request.',
  notFound: 'The requested resource was not found.',
  storeNotFound: 'The store hash in the URL does not match any store. Check the store hash.',
  routeNotFound: 'The requested resource was not found. Check the path and the API version.',
  malformed: 'JSON data is missing or invalid',
  tooLarge: 'The request payload is too large.',
};

export function versionOf(req: Request): ApiVersion {
  const path = req.originalUrl ?? req.url;
  if (path.startsWith('/__sim')) return 'control';
  if (path.startsWith('/oauth2/')) return 'oauth';
  return /\/v2\//.test(path) || path.endsWith('/v2') ? 'v2' : 'v3';
}

export function sendError(res: Response, version: ApiVersion, status: number, message: string, fields: Record<string, string> = {}, problemJson = false): void {
  if (res.headersSent) return;
  if (version === 'v2') {
    const body: { status: number; message: string; details?: { invalid_reason: Record<string, string> } }[] = [{ status, message }];
    if (Object.keys(fields).length > 0) body[0]!.details = { invalid_reason: fields };
    res.status(status).json(body);
    return;
  }
  if (version === 'oauth') {
    res.status(status).json({ error: status === 401 ? 'invalid_client' : 'invalid_request', error_description: message });
    return;
  }
  if (version === 'control') {
    res.status(status).json({ status, title: message, errors: fields });
    return;
  }
  res
    .status(status)
    .type(problemJson ? 'application/problem+json' : 'application/json')
    .send(JSON.stringify({ status, title: message, type: V3_ERROR_TYPE, errors: fields }));
}

const domainStatus = (kind: DomainErrorKind): number => {
  switch (kind) {
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'unprocessable':
      return 422;
    case 'too-large':
      return 413;
    case 'too-many-concurrent':
      return 429;
    case 'bad-request':
      return 400;
    default:
      return kind satisfies never;
  }
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

export const errorMiddleware: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const version = versionOf(req);
  // The Inventory API answers its 422s as application/problem+json (inventory.v3.yml).
  const problem = (status: number) => status === 422 && /\/v3\/inventory\//.test(req.originalUrl);
  if (error instanceof OAuthError) {
    res.status(error.status).json({ error: error.code, error_description: error.message });
    return;
  }
  if (error instanceof HttpError) {
    for (const [k, v] of Object.entries(error.headers)) res.setHeader(k, v);
    sendError(res, version, error.status, error.message, error.fields, problem(error.status));
    return;
  }
  if (error instanceof DomainError) {
    const status = domainStatus(error.kind);
    sendError(res, version, status, error.message, error.fields, problem(status));
    return;
  }
  const e = error as BodyParserError;
  if (e?.type === 'entity.parse.failed') {
    sendError(res, version, 400, `${messages.malformed}: the body is not valid JSON (${e.message}). Send a JSON body with Content-Type: application/json.`, { body: 'malformed JSON' });
    return;
  }
  if (e?.type === 'entity.too.large') {
    sendError(res, version, 413, `${messages.tooLarge} Send at most the platform's batch size per request.`, { body: 'payload too large' });
    return;
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    sendError(res, version, 415, `Unsupported body encoding: ${e.message}. Send UTF-8 JSON.`);
    return;
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    sendError(res, version, e.status, e.message);
    return;
  }
  // An unexpected failure is the simulator's fault: say so, and keep serving.
  console.error(`[simulator] Failed to handle ${req.method} ${req.originalUrl}:`, error);
  sendError(res, version, 500, 'Internal simulator error. This is a bug in the harness, not in the integration; please report it.');
};
