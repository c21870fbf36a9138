import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { listGroups } from '../../groups/groups-service.js';
import { money } from '../../lib/money.js';
import { MultilineText } from '../../lib/schemas.js';
import { updatePractice } from '../../practice/practice-service.js';
import { PracticeSettings } from '../../practice/practice-routes.js';
import { languageName, TEXT_LANGUAGES } from '../wording/languages.js';
import { ErrorSummary, FieldError, titleWith, type FieldProblem } from '../../web/form-errors.js';
import { Csrf, Layout } from '../../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../../web/web-auth.js';
import {
  costTemplate,
  getTemplate,
  isTemplateName,
  listTemplates,
  resetTemplate,
  saveTemplate,
  smsPriceOf,
  templateLanguage,
  type Costing,
} from '../wording/texts-service.js';
import { smsUsage } from '../outbox/usage-service.js';
import { notFound } from '../../lib/errors.js';
import { ReflowTable } from '../../web/reflow-table.js';

const admin = pageRoles('admin');

const SOURCE_WORDS = { practice: 'Your practice’s wording', file: 'Default wording', english: 'No wording in this language: English goes' };

function templateKey(c: Context<WebEnv>) {
  const name = c.req.param('name') ?? '';
  if (!isTemplateName(name)) throw notFound('Template');
  return { lang: templateLanguage(c.req.param('language') ?? ''), name };
}

/** Texts, segments and cost, one row per month or group; reflows into stacked rows on a phone. */
function UsageTable(p: { first: string; rows: { label: string; texts: number; segments: number; cost: number }[]; currency: string }) {
  return (
    <ReflowTable
      rows={p.rows}
      columns={[
        { heading: p.first, cell: (r) => r.label },
        { heading: 'Texts', cell: (r) => r.texts },
        { heading: 'Segments', cell: (r) => r.segments },
        { heading: 'Cost', cell: (r) => money(r.cost, p.currency) },
      ]}
    />
  );
}

/** Segments, encoding and cost in words an admin can act on. */
function CostSummary(p: { cost: Costing; groupName: string | null }) {
  const { preview, price, costPerText, perMonth } = p.cost;
  return (
    <div id="preview" aria-live="polite">
      <h2>Preview with long names and dates</h2>
      <p class="sms-preview" dir="auto">
        {preview.text}
      </p>
      <dl class="summary">
        <dt>Encoding</dt>
        <dd>
          {preview.segments.encoding === 'GSM-7'
            ? 'GSM-7: 160 characters in one text, 153 a part when longer'
            : 'UCS-2 (letters outside GSM-7): 70 characters in one text, 67 a part when longer'}
        </dd>
        <dt>Length</dt>
        <dd>
          {preview.segments.units} characters: {preview.segments.segments} {preview.segments.segments === 1 ? 'text' : 'texts'} (segments)
        </dd>
        <dt>Cost a text</dt>
        <dd>
          {money(costPerText, price.currency, 3)} at {money(price.perSegment, price.currency, 4)} a segment
        </dd>
        <dt>Cost a month{p.groupName ? ` for ${p.groupName}` : ' for the practice'}</dt>
        <dd>
          {money(perMonth.cost, price.currency)}: {perMonth.texts} texts, {perMonth.segments} segments ({perMonth.basis})
        </dd>
      </dl>
    </div>
  );
}

async function editorPage(c: Context<WebEnv>, body: string | null, problems: FieldProblem[], groupId: number | null, status: 200 | 422 = 200) {
  const { db, templates, config, user, clock } = c.var;
  const { lang, name } = templateKey(c);
  const entry = await getTemplate(db, templates, user.practiceId, lang, name);
  const text = body ?? entry.body;
  const groups = await listGroups(db, user.practiceId, 'active');
  const group = groups.find((g) => g.id === groupId) ?? null;
  const cost = await costTemplate(db, templates, config, user.practiceId, lang, name, text, group?.id ?? null, clock.now().getTime());
  const base = `/texts/${lang}/${name}`;
  return c.html(
    <Layout title={titleWith(problems, `${entry.title}: ${entry.languageName}`)} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <p>
        <a href={`/texts?language=${lang}`}>All texts in {entry.languageName}</a>
      </p>
      <p>{SOURCE_WORDS[entry.source]}.</p>
      {entry.needsCheck && (
        <p class="warning-banner">This is a draft translation. Have a community interpreter check it before patients get it, then save it here as your own.</p>
      )}
      <form novalidate method="post" action={base} id="template-form" data-language={lang} data-name={name}>
        <Csrf token={c.var.csrf} />
        <label for="body">Wording</label>
        <p id="body-hint" class="muted">
          Placeholders you can use: {entry.placeholders.length === 0 ? 'none' : entry.placeholders.map((x) => `{{${x}}}`).join(', ')}. Keep "reply C" as the
          Latin letter C in every language.
        </p>
        <FieldError field="body" problems={problems} />
        <textarea
          id="body"
          name="body"
          rows={5}
          maxlength={1000}
          lang={lang}
          dir="auto"
          aria-describedby={problems.some((x) => x.field === 'body') ? 'body-hint body-error' : 'body-hint'}
        >
          {text}
        </textarea>
        <label for="groupId">Work out the monthly cost for</label>
        <select id="groupId" name="groupId">
          <option value="">The whole practice</option>
          {groups.map((g) => (
            <option value={String(g.id)} selected={g.id === group?.id}>
              {g.name}
            </option>
          ))}
        </select>
        <p class="row">
          <button type="submit" name="action" value="save">
            Save wording
          </button>
          <button type="submit" name="action" value="preview" class="secondary">
            Preview
          </button>
        </p>
      </form>
      <CostSummary cost={cost} groupName={group?.name ?? null} />
      {entry.source === 'practice' && (
        <>
          <h2>Default wording</h2>
          <p dir="auto" lang={lang}>
            {entry.defaultBody ?? 'None in this language: English goes.'}
          </p>
          <p>
            <a href={`${base}/reset`}>Go back to the default wording</a>
          </p>
        </>
      )}
    </Layout>,
    status,
  );
}

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
      <Layout title="Go back to the default wording?" user={c.var.user} csrf={c.var.csrf}>
        <p>
          Your practice’s wording of “{entry.title}” in {entry.languageName} will be removed, and texts will use the default again:
        </p>
        <p class="sms-preview" dir="auto" lang={lang}>
          {entry.defaultBody ?? 'None in this language: texts go in English.'}
        </p>
        <form novalidate method="post" action={`/texts/${lang}/${name}/reset`}>
          <Csrf token={c.var.csrf} />
          <button type="submit" class="danger">
            Remove our wording
          </button>{' '}
          <a href={`/texts/${lang}/${name}`}>Keep it</a>
        </form>
      </Layout>,
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
        <label for="budget">Monthly budget in SMS segments</label>
        <p id="budget-hint" class="muted">
          Past 80% you are warned here; past all of it, reminders pause until the month ends. Leave empty for no limit.
        </p>
        <FieldError field="budget" problems={problems} />
        <input
          id="budget"
          name="budget"
          inputmode="numeric"
          value={values.budget ?? (budget.budget === null ? '' : String(budget.budget))}
          aria-describedby={problems.length ? 'budget-hint budget-error' : 'budget-hint'}
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
      <nav aria-label="Languages">
        <ul class="inline-list">
          {TEXT_LANGUAGES.map((l) => (
            <li>
              {l.tag === lang ? (
                <strong aria-current="page">{languageName(l.tag)}</strong>
              ) : (
                <a href={`/texts?language=${l.tag}`} lang={l.tag}>
                  {languageName(l.tag)}
                </a>
              )}
            </li>
          ))}
        </ul>
      </nav>
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
