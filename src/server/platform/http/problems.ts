import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, toProblem } from '../errors.js';
import { localeFrom, type MessageKey, type MessageParams } from '../i18n/messages.js';

type Issue = { instancePath: string; keyword: string; params: Record<string, unknown> };

/** The message of one validation issue (exported for row-by-row checks such as CSV imports). */
export function issueMessage(issue: Issue, given: unknown): { key: MessageKey; params: MessageParams } {
  const p = issue.params;
  switch (issue.keyword) {
    case 'invalid_type':
      return { key: given === undefined ? 'validation.required' : 'validation.invalid_type', params: {} };
    case 'too_small':
      return p.origin === 'string'
        ? {
            key: Number(p.minimum) === 1 ? 'validation.required' : 'validation.too_short',
            params: { minimum: Number(p.minimum) },
          }
        : { key: 'validation.too_small', params: { minimum: Number(p.minimum) } };
    case 'too_big':
      return p.origin === 'string'
        ? { key: 'validation.too_long', params: { maximum: Number(p.maximum) } }
        : { key: 'validation.too_big', params: { maximum: Number(p.maximum) } };
    case 'invalid_format':
      if (p.format === 'email') return { key: 'validation.invalid_email', params: {} };
      if (p.format === 'date') return { key: 'validation.invalid_date', params: {} };
      return { key: 'validation.invalid', params: {} };
    case 'invalid_value':
      return {
        key: 'validation.invalid_value',
        params: { options: (p.values as unknown[] | undefined)?.join(', ') ?? '' },
      };
    case 'unrecognized_keys':
      return {
        key: 'validation.unrecognized_keys',
        params: { keys: (p.keys as string[] | undefined)?.join(', ') ?? '' },
      };
    default:
      return { key: 'validation.invalid', params: {} };
  }
}

/**
 * The value an issue is about, read from the part of the request that failed validation: zod
 * issues carry no input, and "required" must be told apart from "wrong type".
 */
function givenValue(req: FastifyRequest, context: unknown, instancePath: string): unknown {
  const parts: Record<string, unknown> = {
    body: req.body,
    querystring: req.query,
    params: req.params,
    headers: req.headers,
  };
  let value = typeof context === 'string' ? parts[context] : undefined;
  for (const key of instancePath.split('/').filter((k) => k !== '')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function validationError(issues: Issue[], given: (issue: Issue) => unknown): AppError {
  const fields = issues.map((issue) => {
    const { key, params } = issueMessage(issue, given(issue));
    return { path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'), code: issue.keyword, key, params };
  });
  return new AppError(
    400,
    'validation',
    'error.detail.validation',
    { count: fields.length },
    fields,
    'error.title.validation',
  );
}

/** Maps anything thrown to an AppError; unknown errors become a 500 without internals. */
function toAppError(err: FastifyError, req: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    return validationError(err.validation as unknown as Issue[], (issue) =>
      givenValue(req, err.validationContext, issue.instancePath),
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'invalid_json', 'error.detail.invalid_json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'body_too_large', 'error.detail.body_too_large', {
        limit: req.routeOptions.bodyLimit ?? 0,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'unsupported_media_type', 'error.detail.unsupported_media_type', {
        type: String(req.headers['content-type'] ?? ''),
      });
    case 'FST_ERR_RATE_LIMIT':
    case undefined:
      break;
    default:
      break;
  }
  if (err.statusCode === 429) return new AppError(429, 'rate_limited', 'error.detail.rate_limited');
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return new AppError(400, 'invalid_json', 'error.detail.invalid_json');
  }
  if (err.statusCode === 400) return new AppError(400, 'bad_request', 'validation.invalid');
  return new AppError(500, 'internal', 'error.detail.internal');
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  const locale = localeFrom(req.headers['accept-language']);
  return reply
    .status(err.status)
    .type('application/problem+json; charset=utf-8')
    .send(toProblem(err, locale, String(req.id)));
}

export function registerProblems(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const err = toAppError(error, req);
    if (err.status >= 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ code: err.code, status: err.status }, 'request refused');
    return sendProblem(req, reply, err);
  });
}
