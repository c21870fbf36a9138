import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { resolver, uniqueSymbol } from 'hono-openapi';
import type { z } from 'zod';
import { AppError } from './errors.js';

/** zod issues as the API's `details`: where, what. */
export function issueDetails(issues: readonly z.core.$ZodIssue[]) {
  return issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
}

/**
 * zValidator with the API's one 400 shape, carrying its schema for the OpenAPI document: the
 * document is read off these same middlewares (hono-openapi's marker), so it cannot drift from
 * what is validated. The check itself stays zValidator's, which keeps zod's issue codes in `details`.
 */
export const validate = <Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema) => {
  const check = zValidator(target, schema, (result) => {
    if (!result.success) {
      const where = target === 'json' ? 'request body' : target === 'query' ? 'query string' : target === 'param' ? 'path' : target;
      throw new AppError('invalid_input', `Invalid ${where}`, issueDetails(result.error.issues));
    }
  });
  // A body in another type would reach the schema as nothing and be refused field by field
  // ("name: expected string"): say what is wrong instead.
  const middleware: typeof check =
    target === 'json'
      ? async (c, next) => {
          if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
            throw new AppError('invalid_input', 'Send the request body as JSON, with the header Content-Type: application/json');
          }
          return check(c, next);
        }
      : check;
  return Object.assign(middleware, { [uniqueSymbol]: { target, ...resolver(schema) } });
};

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/** The same zod check for data that did not come through a validator (forms on pages). */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, data: unknown): z.output<Schema> {
  const result = schema.safeParse(data);
  if (!result.success) throw new AppError('invalid_input', 'Some answers need fixing', issueDetails(result.error.issues));
  return result.data;
}
