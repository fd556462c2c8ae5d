import { type Locale, type MessageKey, type MessageParams, translate } from './i18n/messages.js';

export type FieldError = { path: string; code: string; message: string };

type Status = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 423 | 429 | 500 | 503;

const TITLES: Record<Status, MessageKey> = {
  400: 'error.title.bad_request',
  401: 'error.title.unauthorized',
  403: 'error.title.forbidden',
  404: 'error.title.not_found',
  409: 'error.title.conflict',
  412: 'error.title.precondition_failed',
  413: 'error.title.payload_too_large',
  415: 'error.title.unsupported_media_type',
  422: 'error.title.unprocessable',
  423: 'error.title.locked',
  429: 'error.title.too_many_requests',
  500: 'error.title.internal',
  503: 'error.title.unavailable',
};

/**
 * The one error type of the application. `code` is stable for clients (e.g. `auth.locked`);
 * the message key and its parameters are rendered in the request's language.
 * Field errors carry a message key each, rendered the same way.
 */
export class AppError extends Error {
  constructor(
    readonly status: Status,
    readonly code: string,
    readonly detailKey: MessageKey,
    readonly params: MessageParams = {},
    readonly fieldErrors: { path: string; code: string; key: MessageKey; params?: MessageParams }[] = [],
    readonly titleKey: MessageKey = TITLES[status],
  ) {
    super(code);
  }

  static notFound(object: MessageKey = 'object.resource') {
    return new AppError(404, 'not_found', 'error.detail.not_found', { object: `@${object}` });
  }
  static unauthenticated() {
    return new AppError(401, 'unauthenticated', 'error.detail.unauthenticated');
  }
  static forbidden(role: string) {
    return new AppError(403, 'forbidden', 'error.detail.forbidden_role', { role });
  }
  static stale() {
    return new AppError(412, 'precondition_failed', 'error.detail.stale');
  }
  static field(status: 400 | 409 | 422, code: string, path: string, key: MessageKey, params?: MessageParams) {
    return new AppError(
      status,
      code,
      key,
      params,
      [{ path, code, key, params }],
      status === 400 ? 'error.title.validation' : TITLES[status],
    );
  }
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  requestId?: string;
  errors?: FieldError[];
};

/** Parameters starting with @ name another message (e.g. the object's name). */
function render(locale: Locale, key: MessageKey, params: MessageParams): string {
  const resolved: MessageParams = {};
  for (const [k, v] of Object.entries(params)) {
    resolved[k] = typeof v === 'string' && v.startsWith('@') ? translate(locale, v.slice(1) as MessageKey) : v;
  }
  return translate(locale, key, resolved);
}

export function toProblem(err: AppError, locale: Locale, requestId?: string): Problem {
  const problem: Problem = {
    type: `urn:madoguchi:problem:${err.code}`,
    title: translate(locale, err.titleKey),
    status: err.status,
    code: err.code,
    detail: render(locale, err.detailKey, err.params),
    requestId,
  };
  if (err.fieldErrors.length > 0) {
    problem.errors = err.fieldErrors.map((f) => ({
      path: f.path,
      code: f.code,
      message: render(locale, f.key, f.params ?? {}),
    }));
  }
  return problem;
}
