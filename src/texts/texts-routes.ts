import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly, canManage } from '../auth/auth-middleware.js';
import { notFound } from '../lib/errors.js';
import { Id, MultilineText } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { costTemplate, getTemplate, isTemplateName, listTemplates, resetTemplate, saveTemplate, smsPriceOf, templateLanguage } from './texts-service.js';
import { smsUsage } from './usage-service.js';

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
  .get('/', async (c) => c.json({ items: await listTemplates(c.var.db, c.var.templates, c.var.user.practiceId) }))
  .post('/preview', validate('json', PreviewBody), async (c) => {
    const b = c.req.valid('json');
    const { lang, name } = templateKey(b.language, b.name);
    const { db, templates, config, user, clock } = c.var;
    return c.json(await costTemplate(db, templates, config, user.practiceId, lang, name, b.body, b.groupId ?? null, clock.now().getTime()));
  })
  .get('/:language/:name', validate('param', TemplateParam), async (c) => {
    const { lang, name } = templateKey(c.req.valid('param').language, c.req.valid('param').name);
    return c.json(await getTemplate(c.var.db, c.var.templates, c.var.user.practiceId, lang, name));
  })
  .put('/:language/:name', validate('param', TemplateParam), validate('json', TemplateBody), async (c) => {
    const { lang, name } = templateKey(c.req.valid('param').language, c.req.valid('param').name);
    const { db, templates, config, user, clock } = c.var;
    return c.json(await saveTemplate(db, templates, config, user.practiceId, user.id, lang, name, c.req.valid('json').body, clock.now().getTime()));
  })
  .delete('/:language/:name', validate('param', TemplateParam), async (c) => {
    const { lang, name } = templateKey(c.req.valid('param').language, c.req.valid('param').name);
    return c.json(await resetTemplate(c.var.db, c.var.templates, c.var.user.practiceId, lang, name));
  });

/** `/reports/sms-usage`: segments sent per month and group, their cost, and the monthly budget. */
export const smsUsageRoutes = new Hono<AppEnv>().get('/', canManage, validate('query', UsageQuery), async (c) =>
  c.json(await smsUsage(c.var.db, c.var.user.practiceId, smsPriceOf(c.var.config), c.var.clock.now().getTime(), c.req.valid('query'))),
);
