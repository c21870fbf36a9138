import type { Hono } from 'hono';
import { generateSpecs, type GenerateSpecOptions } from 'hono-openapi';
import { z } from 'zod';
import { ErrorBody } from './describe.js';

const errorSchema = () => {
  const { $schema: _drop, ...schema } = z.toJSONSchema(ErrorBody) as Record<string, unknown>;
  return schema;
};

/**
 * How the document is assembled from the routes' own validators and descriptions: only /api/v1
 * (pages, feeds and webhooks are not part of the API), paths with dots kept (`/reports/impact.csv`),
 * and every refusal answered in the one error shape, including a failed validation.
 */
export function openApiOptions(publicBaseUrl: string): Partial<GenerateSpecOptions> {
  return {
    excludeStaticFile: false,
    exclude: [/^(?!\/api\/v1\/)/],
    defaultValidationErrorResponse: { $ref: '#/components/responses/Error' } as never,
    documentation: {
      openapi: '3.1.0',
      info: {
        title: 'Community Links Groups API',
        version: '1',
        description:
          'Scheduling, enrolment, registers, texts, feeds and evidence for the community groups Community Links Practitioners run. ' +
          'Sign in with `POST /api/v1/auth/login` and send the token as `Authorization: Bearer …`. Every answer is scoped to the practice the session acts in. ' +
          'Writes may carry an `Idempotency-Key` header: a retry with the same key gets the first answer again. ' +
          'Times are ISO 8601 with the practice zone’s offset.',
      },
      servers: [{ url: publicBaseUrl }],
      security: [{ bearerAuth: [] }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/v1/auth/login' },
        },
        schemas: { Error: errorSchema() as never },
        responses: {
          Error: {
            description:
              'Refused or failed: the status says which kind (400 invalid input, 401 not signed in, 403 not allowed, 404, 409 conflict, 413, 422, 429 with Retry-After, 503 with Retry-After)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    },
  };
}

/** The document for an app; generated once and kept, since routes do not change while running. */
export function openApiDocument(app: Hono<any>, publicBaseUrl: string) {
  let doc: ReturnType<typeof generateSpecs> | undefined;
  return () => (doc ??= generateSpecs(app, openApiOptions(publicBaseUrl)));
}
