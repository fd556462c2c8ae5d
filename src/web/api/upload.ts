import { currentLocale } from '../i18n';
import { ApiError, buildUrl, csrfHeaders } from './client';

/** One bad row of a file import (the row as Excel numbers it: the header is row 1). */
export interface ImportRowError {
  row: number;
  column?: string | null;
  code: string;
  message: string;
}

/**
 * The answer of a file import or its dry run: the counts and every bad row. `ok` is false when
 * the server refused the file (422: nothing applied). Other fields of the answer are kept.
 */
export interface ImportAnswer {
  ok: boolean;
  status: number;
  rows: number;
  errors: ImportRowError[];
  /** Problem title of a 422, in the user's language. */
  title?: string;
  detail?: string;
  body: Record<string, unknown>;
}

type Query = Record<string, string | number | undefined>;

function errorsOf(body: Record<string, unknown>): ImportRowError[] {
  const raw = body.errors;
  if (!Array.isArray(raw)) return [];
  return raw.map((e: Record<string, unknown>) => ({
    row: typeof e.row === 'number' ? e.row : 0,
    column: typeof e.column === 'string' ? e.column : Array.isArray(e.path) ? e.path.join('.') : null,
    code: String(e.code ?? ''),
    message: String(e.message ?? ''),
  }));
}

/**
 * Sends a file as the request body (text/csv by default): the server detects the encoding
 * (UTF-8, UTF-8 with BOM, Shift_JIS). 200/201 and 422 (rows refused) are answers; anything
 * else throws an ApiError as every other call does.
 */
export async function uploadFile(
  path: string,
  file: Blob,
  query: Query = {},
  contentType = 'text/csv',
): Promise<ImportAnswer> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      method: 'POST',
      headers: {
        Accept: 'application/json, application/problem+json',
        'Accept-Language': currentLocale(),
        'Content-Type': contentType,
        ...csrfHeaders(),
      },
      credentials: 'same-origin',
      body: file,
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network', title: 'Network error' });
  }
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    // an empty or non-JSON answer
  }
  if (res.ok || res.status === 422) {
    return {
      ok: res.ok,
      status: res.status,
      rows: typeof body.rows === 'number' ? body.rows : 0,
      errors: errorsOf(body),
      title: typeof body.title === 'string' && !res.ok ? body.title : undefined,
      detail: typeof body.detail === 'string' && !res.ok ? body.detail : undefined,
      body,
    };
  }
  throw new ApiError({
    status: res.status,
    code: typeof body.code === 'string' ? body.code : `http.${res.status}`,
    title: typeof body.title === 'string' ? body.title : res.statusText || `HTTP ${res.status}`,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    errors: Array.isArray(body.errors)
      ? body.errors.map((e: Record<string, unknown>) => ({
          path: Array.isArray(e.path) ? e.path.join('.') : String(e.path ?? e.column ?? ''),
          code: String(e.code ?? ''),
          message: String(e.message ?? ''),
        }))
      : [],
    requestId: typeof body.requestId === 'string' ? body.requestId : undefined,
  });
}

/** Fetches a generated file (CSV, PDF) with a POST or GET and hands it to the browser as a download. */
export async function downloadFile(
  method: 'GET' | 'POST',
  path: string,
  query: Query = {},
  body?: unknown,
): Promise<{ filename: string; size: number; headers: Headers }> {
  const res = await fetch(buildUrl(path, query), {
    method,
    headers: {
      Accept: '*/*',
      'Accept-Language': currentLocale(),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(method === 'GET' ? {} : csrfHeaders()),
    },
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let problem: Record<string, unknown> = {};
    try {
      problem = (await res.json()) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    throw new ApiError({
      status: res.status,
      code: typeof problem.code === 'string' ? problem.code : `http.${res.status}`,
      title: typeof problem.title === 'string' ? problem.title : res.statusText || `HTTP ${res.status}`,
      detail: typeof problem.detail === 'string' ? problem.detail : undefined,
      requestId: typeof problem.requestId === 'string' ? problem.requestId : undefined,
    });
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const filename = star?.[1] ? decodeURIComponent(star[1]) : (plain?.[1] ?? 'download');
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { filename, size: blob.size, headers: res.headers };
}
