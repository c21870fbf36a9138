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
        parameters: {
          IdempotencyKey: {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'Any 1-255 visible ASCII characters, new for each change. A retry with the same key and body gets the first answer again ' +
              '(`Idempotent-Replayed: true`); the same key with another body is 422; a retry while the first is still running is 409.',
            schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
          } as never,
        },
        responses: {
          Error: {
            description:
              'Refused or failed: the status says which kind (400 invalid input, 401 not signed in, 403 not allowed, 404, 409 conflict, 413, 422, 429 with Retry-After, 503: with Retry-After when waiting helps, without it when the request itself asks too much)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    },
  };
}

type Spec = Awaited<ReturnType<typeof generateSpecs>>;
const ERROR = { $ref: '#/components/responses/Error' };
const WRITES = new Set(['post', 'put', 'patch']);

/**
 * The refusals every operation can answer, declared from what the app does to it rather than by
 * hand: 401 and 403 wherever sign-in is needed (a role or CSRF check can refuse), 404 where the path
 * names something, and for writes 400, 413 and the Idempotency-Key header with its 409 and 422
 * (sign-in itself takes no key). A generated client then knows each answer it may get.
 */
export function declareRefusals(spec: Spec): Spec {
  for (const [path, ops] of Object.entries(spec.paths ?? {})) {
    for (const [method, op] of Object.entries(ops as Record<string, any>)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const codes: string[] = [];
      const signedIn = !(Array.isArray(op.security) && op.security.length === 0);
      if (signedIn) codes.push('401', '403');
      if (path.includes('{')) codes.push('404');
      if (WRITES.has(method)) {
        codes.push('400', '413');
        if (!path.startsWith('/api/v1/auth/')) {
          codes.push('409', '422');
          op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }];
        }
      }
      for (const code of codes) op.responses[code] ??= ERROR;
    }
  }
  return spec;
}

/** The document for an app; generated once and kept, since routes do not change while running. */
export function openApiDocument(app: Hono<any>, publicBaseUrl: string) {
  let doc: Promise<Spec> | undefined;
  return () => (doc ??= Promise.resolve(generateSpecs(app, openApiOptions(publicBaseUrl))).then(declareRefusals));
}
