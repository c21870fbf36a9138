import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import type { Role } from '../db/schema.js';
import { AppError } from '../lib/errors.js';

export type WebEnv = { Variables: AppEnv['Variables'] & { csrf: string } };

/** Reads a form and refuses it unless it carries this session's CSRF token. */
export async function form(c: Context<WebEnv>): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  if (out._csrf !== c.var.csrf) throw new AppError('forbidden', 'This form has expired. Go back, reload the page and try again.');
  return out;
}

export const pageRoles = (...roles: Role[]) =>
  createMiddleware<WebEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.role)) throw new AppError('forbidden', 'Your role cannot see this page.');
    await next();
  });

export const str = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
