import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { money } from '../../lib/money.js';
import { MultilineText } from '../../lib/schemas.js';
import { updatePractice } from '../../practice/practice-service.js';
import { PracticeSettings } from '../../practice/practice-routes.js';
import { languageName, TEXT_LANGUAGES } from '../wording/languages.js';
import { ErrorSummary, titleWith, type FieldProblem } from '../../web/forms/form-errors.js';
import { Csrf, Layout } from '../../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../../web/web-auth.js';
import { costTemplate, getTemplate, listTemplates, resetTemplate, saveTemplate, smsPriceOf, templateLanguage } from '../wording/texts-service.js';
import { smsUsage } from '../outbox/usage-service.js';
import { ReflowTable } from '../../web/components/reflow-table.js';
import { PageNav } from '../../web/components/page-nav.js';
import { TextField } from '../../web/forms/fields.js';
import { templateKey, UsageTable, editorPage } from './text-editor.js';
import { SOURCE_WORDS } from './text-sources.js';
import { ConfirmPage } from '../../web/forms/confirm-page.js';

export const admin = pageRoles('admin');

/** The budget as typed: empty for no limit, otherwise the API's own rule for it. */
const BudgetForm = z.object({
  budget: z
    .string()
    .trim()
    .regex(/^\d{0,9}$/)
    .transform((v) => (v === '' ? null : Number(v)))
    .pipe(PracticeSettings.smsMonthlyBudget.nullable()),
});

/** Texts: what they cost, the monthly budget, and the wording of every text in every language. */
export const textPages = new Hono<WebEnv>()
  .get('/texts', admin, (c) => textsPage(c, [], {}))
  .post('/texts/budget', admin, async (c) => {
    const f = await form(c);
    const values = { budget: str(f.budget) };
    const r = BudgetForm.safeParse(values);
    // The page again, with what was typed and the problem beside it.
    if (!r.success)
      return textsPage(c, [{ field: 'budget', message: 'Enter a whole number of segments from 1 to 10,000,000, or leave it empty for no limit' }], values, 400);
    await updatePractice(c.var.db, c.var.user.practiceId, { smsMonthlyBudget: r.data.budget });
    return c.redirect(
      `/texts?done=${encodeURIComponent(r.data.budget === null ? 'No monthly limit on texts.' : `Monthly budget set to ${r.data.budget} segments.`)}`,
      303,
    );
  })
  .get('/texts/:language/:name', admin, (c) => editorPage(c, null, [], null))
  .post('/texts/:language/:name', admin, async (c) => {
    const f = await form(c);
    const { lang, name } = templateKey(c);
    const body = str(f.body);
    const groupId = Number(str(f.groupId)) || null;
    const parsed = MultilineText(1000).safeParse(body);
    if (!parsed.success)
      return editorPage(c, body, [{ field: 'body', message: body ? 'Use plain text of up to 1,000 characters' : 'Enter the wording' }], groupId, 422);
    if (str(f.action) !== 'save') return editorPage(c, body, [], groupId);
    const { db, templates, config, user, clock } = c.var;
    const cost = await costTemplate(db, templates, config, user.practiceId, lang, name, parsed.data, groupId, clock.now().getTime());
    if (cost.preview.problems.length > 0) {
      return editorPage(
        c,
        body,
        cost.preview.problems.map((message) => ({ field: 'body', message: message[0]!.toUpperCase() + message.slice(1) })),
        groupId,
        422,
      );
    }
    await saveTemplate(db, templates, config, user.practiceId, user.id, lang, name, parsed.data, clock.now().getTime());
    return c.redirect(`/texts/${lang}/${name}?done=${encodeURIComponent('Wording saved: texts use it from now on.')}`, 303);
  })
  .get('/texts/:language/:name/reset', admin, async (c) => {
    const { lang, name } = templateKey(c);
    const entry = await getTemplate(c.var.db, c.var.templates, c.var.user.practiceId, lang, name);
    return c.html(
      <ConfirmPage
        title="Go back to the default wording?"
        user={c.var.user}
        csrf={c.var.csrf}
        action={`/texts/${lang}/${name}/reset`}
        button="Remove our wording"
        danger
        back={{ href: `/texts/${lang}/${name}`, label: 'Keep it' }}
      >
        <p>
          Your practice’s wording of “{entry.title}” in {entry.languageName} will be removed, and texts will use the default again:
        </p>
        <p class="sms-preview" dir="auto" lang={lang}>
          {entry.defaultBody ?? 'None in this language: texts go in English.'}
        </p>
      </ConfirmPage>,
    );
  })
  .post('/texts/:language/:name/reset', admin, async (c) => {
    await form(c);
    const { lang, name } = templateKey(c);
    await resetTemplate(c.var.db, c.var.templates, c.var.user.practiceId, lang, name);
    return c.redirect(`/texts/${lang}/${name}?done=${encodeURIComponent('Back to the default wording.')}`, 303);
  });

/** Texts: this month's use and budget (with what was typed after a refused save), costs, and the wording. */
async function textsPage(c: Context<WebEnv>, problems: FieldProblem[], values: Record<string, string>, status: 200 | 400 = 200) {
  const { db, templates, config, user, clock } = c.var;
  const usage = await smsUsage(db, user.practiceId, smsPriceOf(config), clock.now().getTime());
  const lang = templateLanguage(c.req.query('language') ?? 'en');
  const entries = (await listTemplates(db, templates, user.practiceId)).filter((e) => e.language === lang);
  const { budget, price } = { budget: usage.budget, price: usage.price };
  const current = usage.months[0]!;
  return c.html(
    <Layout title={titleWith(problems, 'Texts')} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <h2>This month</h2>
      <p>
        {budget.used} segments sent in {budget.month} ({money(current.cost, price.currency)})
        {budget.budget !== null && `, of a budget of ${budget.budget} (${Math.round((budget.used / budget.budget) * 100)}%)`}.
        {budget.state === 'paused' && ' Reminders are paused until next month; cancellations and change notices still go.'}
      </p>
      <form novalidate method="post" action="/texts/budget">
        <Csrf token={c.var.csrf} />
        <TextField
          name="budget"
          label="Monthly budget in SMS segments"
          hint="Past 80% you are warned here; past all of it, reminders pause until the month ends. Leave empty for no limit."
          inputmode="numeric"
          value={values.budget ?? (budget.budget === null ? '' : String(budget.budget))}
          problems={problems}
        />
        <button type="submit" class="secondary">
          Save budget
        </button>
      </form>
      <h2>Segments sent per month</h2>
      <UsageTable first="Month" rows={usage.months.map((m) => ({ label: m.month, ...m }))} currency={price.currency} />
      <h2>By group, {current.month}</h2>
      {current.groups.length === 0 ? (
        <p class="muted">No texts sent this month yet.</p>
      ) : (
        <UsageTable first="Group" rows={current.groups.map((g) => ({ label: g.name, ...g }))} currency={price.currency} />
      )}
      <h2>Wording</h2>
      <PageNav
        label="Languages"
        items={TEXT_LANGUAGES.map((l) => ({ href: `/texts?language=${l.tag}`, label: languageName(l.tag), current: l.tag === lang, lang: l.tag }))}
      />
      <ReflowTable
        rows={entries}
        columns={[
          { heading: 'Text', cell: (e) => <a href={`/texts/${e.language}/${e.name}`}>{e.title}</a> },
          {
            heading: 'Wording',
            cell: (e) => (
              <span dir="auto" lang={e.source === 'english' ? 'en' : e.language}>
                {e.body}
              </span>
            ),
          },
          {
            heading: 'Where it comes from',
            cell: (e) => (
              <>
                {SOURCE_WORDS[e.source]}
                {e.needsCheck && ' (draft: needs checking by an interpreter)'}
              </>
            ),
          },
        ]}
      />
    </Layout>,
    status,
  );
}
