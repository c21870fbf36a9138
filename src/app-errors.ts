import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './app-env.js';
import { isStorageFault } from './db/durability.js';
import { AppError, ERROR_STATUS, type ErrorCode } from './lib/errors.js';
import { STYLES } from './web/styles.js';

const STATUS_CODES = Object.fromEntries(Object.entries(ERROR_STATUS).map(([code, status]) => [status, code])) as Record<number, ErrorCode>;

/** No route: a page for a person's browser, the shared error shape for everything else. */
export function notFoundAnswer(c: Context<AppEnv>) {
  if (!c.req.path.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html')) {
    return c.html(
      `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Page not found · Community Links Groups</title><style>${STYLES}</style></head><body><main id="main"><h1>Page not found</h1><p>If you typed the address, check it is right. If you followed a link, it may be out of date.</p><p><a href="/">Go to the start page</a></p></main></body></html>`,
      404,
    );
  }
  return c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404);
}

/** The one place an error becomes an HTTP answer, in the one error shape. */
export function errorAnswer(): ErrorHandler<AppEnv> {
  // A full disk fails every write the same way: say so once a minute per cause, not once per request.
  const lastReported = new Map<string, number>();
  const reportStorageFault = (err: Error & { code: string }) => {
    const now = Date.now();
    if ((lastReported.get(err.code) ?? 0) > now - 60_000) return;
    lastReported.set(err.code, now);
    console.error(`storage fault (${err.code}): ${err.message}; answering 503 until it clears`);
  };
  return (err, c) => {
    const requestIdValue = c.get('requestId');
    if (err instanceof AppError) {
      const body = { error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }), requestId: requestIdValue } };
      return c.json(body, err.status as ContentfulStatusCode, err.headers);
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own 4xx, e.g. a body that is not JSON.
      const code = STATUS_CODES[err.status] ?? 'invalid_input';
      return c.json({ error: { code, message: err.message || 'Bad request', requestId: requestIdValue } }, err.status);
    }
    if (isStorageFault(err)) {
      reportStorageFault(err as Error & { code: string });
      const message = 'The server cannot write to its storage right now; nothing was changed. Please try again later.';
      return c.json({ error: { code: 'storage_unavailable', message, requestId: requestIdValue } }, 503, { 'Retry-After': '30' });
    }
    console.error(`[${requestIdValue}]`, err);
    return c.json({ error: { code: 'internal', message: 'Something went wrong on our side', requestId: requestIdValue } }, 500);
  };
}
