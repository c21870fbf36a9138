import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../lib/errors.js';
import { Layout } from './layout.js';
import type { WebEnv } from './web-auth.js';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Errors on pages are pages: what went wrong in plain words, what was wrong with the form, a way back. */
export function renderWebError(err: Error, c: Context<WebEnv>) {
  const app =
    err instanceof AppError
      ? err
      : err instanceof HTTPException && err.status < 500
        ? new AppError(
            err.status === 403 ? 'forbidden' : err.status === 413 ? 'payload_too_large' : 'invalid_input',
            err.status === 403 ? 'This form did not come from this site. Reload the page and try again.' : err.message || 'That request could not be read.',
          )
        : null;
  if (!app) console.error(err);
  const status = (app?.status ?? 500) as ContentfulStatusCode;
  const details = Array.isArray(app?.details) ? (app!.details as { path?: string; message?: string }[]) : [];
  const user = c.get('user');
  const referer = c.req.header('referer');
  const back = referer && new URL(referer).host === new URL(c.req.url).host ? new URL(referer).pathname + new URL(referer).search : null;
  // A page someone may not see is not a mistake of theirs to check: say so, and the way back to their own work.
  const refused = err instanceof AppError && err.code === 'forbidden' && !!user;
  const title = status === 404 ? 'Not found' : status >= 500 ? 'Something went wrong' : refused ? 'You cannot see this page' : 'Please check';
  if (refused)
    return c.html(
      <Layout title={title} user={user} csrf={c.get('csrf')}>
        <p>{app!.message}</p>
        <p>
          <a href="/today">Back to Today</a>
        </p>
      </Layout>,
      403,
    );
  return c.html(
    <Layout title={title} user={user} csrf={c.get('csrf')}>
      <p class="error" role="alert">
        {app ? app.message : 'Something went wrong on our side. Nothing was saved.'}
      </p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li>
              {d.path ? <strong>{fieldWords(d.path)}: </strong> : null}
              {d.message}
            </li>
          ))}
        </ul>
      )}
      <p>
        {back && <a href={back}>Go back</a>}
        {back && ' · '}
        <a href={user ? '/today' : '/login'}>Start again</a>
      </p>
    </Layout>,
    status,
  );
}

/** A rule's path in words ("schedule.startDate" reads "schedule, start date"), never the schema's own names. */
export function fieldWords(path: string): string {
  const words = path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .map((part) =>
      part
        .replace(/Id$/, '')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toLowerCase(),
    )
    .join(', ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
