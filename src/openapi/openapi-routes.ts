import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { AppError } from '../lib/errors.js';
import { documented } from './describe.js';
import { openApiDocument } from './openapi-document.js';

/** The renderer's files, read from the swagger-ui-dist package by the host (never a CDN). */
export type ApiDocsFile = 'swagger-ui.css' | 'swagger-ui-bundle.js';
export type ApiDocsFiles = (name: ApiDocsFile) => Promise<string | null>;

const TYPES: Record<ApiDocsFile, string> = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8' };

// Swagger UI's own online validator badge would call validator.swagger.io: off, so the page needs no internet.
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#docs', deepLinking: true, validatorUrl: null });\n`;

const PAGE = `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>API reference · Community Links Groups</title><link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><main><h1 style="font-family:sans-serif;margin:16px">Community Links Groups API</h1>
<p style="font-family:sans-serif;margin:16px">The machine-readable document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<div id="docs"></div></main>
<script src="/api/docs/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body></html>`;

const doc = documented('API reference');

/**
 * `/api/v1/openapi.json`, open to anyone (it holds no data), and `/api/docs`, which renders it
 * from files served here. Registered ahead of the sign-in check.
 */
export function openApiRoutes(app: Hono<any>, publicBaseUrl: string, files: ApiDocsFiles | undefined) {
  const document = openApiDocument(app, publicBaseUrl);
  return new Hono<AppEnv>()
    .get('/api/v1/openapi.json', doc('This document: every /api/v1 route, OpenAPI 3.1', { 200: 'none' }, { public: true }), async (c) =>
      c.json(await document()),
    )
    .get('/api/docs', (c) => {
      if (!files) throw new AppError('not_found', 'The API reference page is not served here; read /api/v1/openapi.json');
      return c.html(PAGE);
    })
    .get('/api/docs/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }))
    .get('/api/docs/:file{swagger-ui\\.css|swagger-ui-bundle\\.js}', async (c) => {
      const name = c.req.param('file') as ApiDocsFile;
      const body = files ? await files(name) : null;
      if (body === null) throw new AppError('not_found', 'No such file');
      return c.body(body, 200, { 'content-type': TYPES[name], 'cache-control': 'public, max-age=86400' });
    });
}
