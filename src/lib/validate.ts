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
export const validate = <Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema) =>
  Object.assign(
    zValidator(target, schema, (result) => {
      if (!result.success) {
        const where = target === 'json' ? 'request body' : target === 'query' ? 'query string' : target === 'param' ? 'path' : target;
        throw new AppError('invalid_input', `Invalid ${where}`, issueDetails(result.error.issues));
      }
    }),
    { [uniqueSymbol]: { target, ...resolver(schema) } },
  );

/** The same zod check for data that did not come through a validator (forms on pages). */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, data: unknown): z.output<Schema> {
  const result = schema.safeParse(data);
  if (!result.success) throw new AppError('invalid_input', 'Some answers need fixing', issueDetails(result.error.issues));
  return result.data;
}
