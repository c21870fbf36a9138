import { describeRoute, resolver } from 'hono-openapi';
import { z } from 'zod';
import { ERROR_STATUS } from '../lib/errors.js';

/** The API's one error shape, as every non-2xx JSON answer carries it. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string().describe('What went wrong, in words a person can act on'),
    details: z.unknown().optional().describe('For invalid input: one entry per problem, `{path, message, code}`'),
    requestId: z.string().optional().describe('Quote this when reporting a problem'),
  }),
});

/** An instant as the practice sees it: ISO 8601 with the practice zone's offset. */
export const ZonedTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/)
  .describe('date-time with offset');
export const DateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('a calendar date');
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** What a route answers with on success: JSON of a schema, a CSV download, or nothing (204). */
type Reply = z.ZodType | 'csv' | 'none';

const content = (r: Reply) =>
  r === 'none'
    ? {}
    : r === 'csv'
      ? { content: { 'text/csv': { schema: { type: 'string' as const } } } }
      : { content: { 'application/json': { schema: resolver(r) } } };

const SUCCESS_WORDS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'Done; nothing to return', 304: 'Not modified: what you have is current' };

/**
 * The OpenAPI description of one route, placed in its middleware chain: success answers from the
 * same zod schemas the tests check the API's answers against, and every other status in the
 * error shape. Request bodies, queries and paths come from the route's own validators.
 */
export function documented(tag: string) {
  return (summary: string, replies: Record<number, Reply>, extra: { description?: string; public?: boolean } = {}) =>
    describeRoute({
      tags: [tag],
      summary,
      ...(extra.description && { description: extra.description }),
      ...(extra.public && { security: [] }),
      responses: {
        ...Object.fromEntries(Object.entries(replies).map(([status, r]) => [status, { description: SUCCESS_WORDS[Number(status)] ?? 'OK', ...content(r) }])),
        default: { $ref: '#/components/responses/Error' },
      },
    });
}
