import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { createApp } from '../src/app.js';
import { nodeApiDocsFiles } from '../src/node/api-docs-files.js';
import { chromiumAvailable, launchChromium, screenshot, serveOnLoopback } from './helpers/browser.js';
import { openApiChecker } from './helpers/openapi-check.js';
import { makeTestApp, testConfig } from './helpers/test-app.js';

type Doc = Parameters<typeof openApiChecker>[0] & { openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>> };

async function servedDocument() {
  const t = await makeTestApp();
  const res = await t.app.request('/api/v1/openapi.json');
  return { t, res, doc: (await res.json()) as Doc };
}

/** `GET /groups/:id`, `GET|PATCH /sessions/:id`, `/reports/attendance(.csv)` … as written in README's API list. */
function readmeRoutes(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const api = readme.slice(readme.indexOf('\n## API'), readme.indexOf('\n## SMS'));
  const routes = new Set<string>();
  for (const m of api.matchAll(/`((?:GET|POST|PUT|PATCH|DELETE)(?:\|(?:GET|POST|PUT|PATCH|DELETE))*) (\/[^\s`?{]*)/g)) {
    const path = m[2]!.replace(/:(\w+)/g, '{$1}');
    if (/^\/(calendars|webhooks|healthz)/.test(path) || !path.startsWith('/')) continue;
    const variants = path.includes('(.csv)') ? [path.replace('(.csv)', ''), path.replace('(.csv)', '.csv')] : [path];
    for (const method of m[1]!.split('|')) for (const v of variants) routes.add(`${method.toLowerCase()} ${v.startsWith('/api/') ? v : `/api/v1${v}`}`);
  }
  return [...routes];
}

describe('the OpenAPI document', () => {
  it('is served without signing in, and a real validator finds it a valid OpenAPI 3.1 document', async () => {
    const { res, doc } = await servedDocument();
    expect(res.status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it("holds every route of README's API list, with bodies, parameters, the bearer scheme and the error shape", async () => {
    const { doc } = await servedDocument();
    const listed = readmeRoutes();
    expect(listed.length).toBeGreaterThan(60);
    const missing = listed.filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return !doc.paths[path]?.[method];
    });
    expect(missing).toEqual([]);

    const raw = doc as any;
    expect(raw.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(raw.security).toEqual([{ bearerAuth: [] }]);
    // Sign-in itself needs no token.
    expect(raw.paths['/api/v1/auth/login'].post.security).toEqual([]);
    // A body from the route's own zod schema: the group's schedule, with its frequencies.
    const group = raw.paths['/api/v1/groups'].post.requestBody.content['application/json'].schema;
    expect(group.properties.schedule.properties.frequency.enum).toEqual(['weekly', 'fortnightly', 'monthly']);
    expect(group.required).toContain('name');
    // Query and path parameters.
    const sessions = raw.paths['/api/v1/groups/{id}/sessions'].get.parameters.map((p: { in: string; name: string }) => `${p.in}:${p.name}`);
    expect(sessions).toEqual(expect.arrayContaining(['path:id', 'query:from', 'query:to']));
    // Every operation answers errors in the one shape.
    for (const [path, ops] of Object.entries<any>(raw.paths))
      for (const [method, op] of Object.entries<any>(ops)) expect(op.responses.default ?? op.responses['400'], `${method} ${path}`).toBeTruthy();
    expect(raw.components.schemas.Error.properties.error.properties.code.enum).toContain('storage_busy');
  });

  it('declares Idempotency-Key on every write but sign-in, and a 4xx answer on every operation that can refuse', async () => {
    const { doc } = await servedDocument();
    const raw = doc as any;
    const header = (op: any) => (op.parameters ?? []).some((p: any) => p.$ref === '#/components/parameters/IdempotencyKey');
    expect(raw.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false });
    const writes: string[] = [];
    const withoutKey: string[] = [];
    const without4xx: string[] = [];
    for (const [path, ops] of Object.entries<any>(raw.paths))
      for (const [method, op] of Object.entries<any>(ops)) {
        if (['post', 'put', 'patch'].includes(method)) {
          writes.push(`${method} ${path}`);
          if (!path.startsWith('/api/v1/auth/') && !header(op)) withoutKey.push(`${method} ${path}`);
        }
        if (!Object.keys(op.responses).some((c) => c.startsWith('4'))) without4xx.push(`${method} ${path}`);
      }
    expect(writes.length).toBeGreaterThanOrEqual(30);
    expect(withoutKey).toEqual([]);
    // Only the document itself can refuse nothing.
    expect(without4xx).toEqual(['get /api/v1/openapi.json']);
    expect(Object.keys(raw.paths['/api/v1/venues'].get.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect(Object.keys(raw.paths['/api/v1/groups/{id}'].patch.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '413', '422']));
  });

  it("catches an answer that strays from it (the check every API test's answers go through)", async () => {
    const { doc } = await servedDocument();
    const check = openApiChecker(doc);
    const venue = {
      id: 1,
      name: 'Knightswood Park',
      address: null,
      postcode: null,
      meetingPoint: null,
      accessibility: null,
      archived: false,
      riskAssessedOn: null,
      riskReviewMonths: null,
      riskReviewDueOn: null,
    };
    expect(check('GET', '/api/v1/venues/1', 200, 'application/json', venue)).toBeNull();
    expect(check('GET', '/api/v1/venues/1', 200, 'application/json', { ...venue, secret: 'x' })).toMatch(/additional properties/);
    expect(check('GET', '/api/v1/venues/1', 200, 'application/json', { ...venue, name: 7 })).toMatch(/name must be string/);
    expect(check('GET', '/api/v1/venues/1', 404, 'application/json', { error: { code: 'not_found', message: 'Venue not found' } })).toBeNull();
    expect(check('GET', '/api/v1/venues/1', 404, 'application/json', { message: 'nope' })).toMatch(/does not match/);
    expect(check('DELETE', '/api/v1/closures/1', 200, 'application/json', {})).toMatch(/does not list/);
    expect(check('GET', '/api/v1/nowhere', 200, 'application/json', {})).toMatch(/not in the OpenAPI document/);
  });

  it('answers the same error shape on the API when the page is not served', async () => {
    const { t } = await servedDocument();
    const res = await t.app.request('/api/docs');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('the API reference page in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let server: ServerType;
  let base: string;
  beforeAll(async () => {
    const t = await makeTestApp();
    const app = createApp({ db: t.db, clock: t.clock, config: testConfig, templates: t.templates, apiDocsFiles: nodeApiDocsFiles() });
    ({ server, base } = await serveOnLoopback(app.fetch));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('renders every operation with the network off: nothing is fetched from anywhere but this server', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const elsewhere: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith('data:')) return route.continue();
      elsewhere.push(url);
      return route.abort('internetdisconnected');
    });
    await page.goto(`${base}/api/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(60);
    await expect(page.locator('.title').first().textContent()).resolves.toContain('Community Links Groups API');
    expect(elsewhere).toEqual([]);
    await screenshot(page, 'api-docs');
    await page.close();
  });
});
