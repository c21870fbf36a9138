import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly, canManage } from '../auth/auth-middleware.js';
import { notFound } from '../lib/errors.js';
import { Id, MultilineText } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import {
  costTemplate,
  getTemplate,
  isTemplateName,
  listTemplates,
  resetTemplate,
  saveTemplate,
  smsPriceOf,
  templateLanguage,
} from './wording/texts-service.js';
import { smsUsage } from './outbox/usage-service.js';
import { documented, itemsOf } from '../openapi/describe.js';
import { SegmentCount } from './messages-routes.js';

const doc = documented('Texts');
const TemplateDto = z.object({
  language: z.string(),
  languageName: z.string(),
  name: z.string(),
  title: z.string(),
  placeholders: z.array(z.string()),
  source: z.enum(['practice', 'file', 'english']).describe("practice: this practice's words; file: the default; english: none in this language, English goes"),
  needsCheck: z.boolean().describe('A draft translation not yet checked by a community interpreter'),
  body: z.string(),
  defaultBody: z.string().nullable(),
});
const Price = z.object({ perSegment: z.number(), currency: z.string() });
const CostingDto = z.object({
  preview: z.object({ text: z.string(), segments: SegmentCount, problems: z.array(z.string()) }).describe('With the longest realistic values'),
  price: Price,
  costPerText: z.number(),
  perMonth: z.object({ texts: z.number().int(), segments: z.number().int(), cost: z.number(), basis: z.string(), groupId: z.number().int().nullable() }),
});
const Budget = z.object({ budget: z.number().int().nullable(), used: z.number().int(), state: z.string(), month: z.string() });
const Usage = z.object({ texts: z.number().int(), segments: z.number().int(), cost: z.number() });
const UsageDto = z.object({
  price: Price,
  budget: Budget,
  months: z.array(Usage.extend({ month: z.string(), groups: z.array(Usage.extend({ groupId: z.number().int().nullable(), name: z.string() })) })),
});

const TemplateParam = z.object({ language: z.string().max(35), name: z.string().max(40) });
const TemplateBody = z.object({ body: MultilineText(1000) });
const PreviewBody = z.object({
  language: z.string().max(35),
  name: z.string().max(40),
  body: MultilineText(1000, 0),
  groupId: Id.optional(),
});
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month like 2026-11');
const UsageQuery = z.object({ from: Month.optional(), to: Month.optional() });

function templateKey(language: string, name: string) {
  if (!isTemplateName(name)) throw notFound('Template');
  return { lang: templateLanguage(language), name };
}

/** `/sms-templates`: the practice's wording of every text in every language, which an admin may change. */
export const textTemplateRoutes = new Hono<AppEnv>()
  .use('*', adminOnly)
  .get('/', doc('Every text in every language, with where its wording comes from (admins)', { 200: itemsOf(TemplateDto) }), async (c) =>
    c.json({ items: await listTemplates(c.var.db, c.var.templates, c.var.user.practiceId) }),
  )
  .post(
    '/preview',
    doc('Wording with the longest realistic values: segments, cost a text and a month', { 200: CostingDto }),
    validate('json', PreviewBody),
    async (c) => {
      const b = c.req.valid('json');
      const { lang, name } = templateKey(b.language, b.name);
      const { db, templates, config, user, clock } = c.var;
      return c.json(await costTemplate(db, templates, config, user.practiceId, lang, name, b.body, b.groupId ?? null, clock.now().getTime()));
    },
  )
  .get('/:language/:name', doc('One text in one language', { 200: TemplateDto }), validate('param', TemplateParam), async (c) => {
    const { lang, name } = templateKey(c.req.valid('param').language, c.req.valid('param').name);
    return c.json(await getTemplate(c.var.db, c.var.templates, c.var.user.practiceId, lang, name));
  })
  .put(
    '/:language/:name',
    doc("Save the practice's own wording (refused with an unknown placeholder or over 3 segments)", { 200: TemplateDto }),
    validate('param', TemplateParam),
    validate('json', TemplateBody),
    async (c) => {
      const { lang, name } = templateKey(c.req.valid('param').language, c.req.valid('param').name);
      const { db, templates, config, user, clock } = c.var;
      return c.json(await saveTemplate(db, templates, config, user.practiceId, user.id, lang, name, c.req.valid('json').body, clock.now().getTime()));
    },
  )
  .delete('/:language/:name', doc('Back to the default wording', { 200: TemplateDto }), validate('param', TemplateParam), async (c) => {
    const { lang, name } = templateKey(c.req.valid('param').language, c.req.valid('param').name);
    return c.json(await resetTemplate(c.var.db, c.var.templates, c.var.user.practiceId, lang, name));
  });

/** `/reports/sms-usage`: segments sent per month and group, their cost, and the monthly budget. */
export const smsUsageRoutes = new Hono<AppEnv>().get(
  '/',
  doc('Segments sent per month and group, their cost, and the budget', { 200: UsageDto }),
  canManage,
  validate('query', UsageQuery),
  async (c) => c.json(await smsUsage(c.var.db, c.var.user.practiceId, smsPriceOf(c.var.config), c.var.clock.now().getTime(), c.req.valid('query'))),
);
