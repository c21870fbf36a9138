import { type Context } from 'hono';
import { listGroups } from '../../groups/groups-service.js';
import { money } from '../../lib/money.js';
import { ErrorSummary, FieldError, titleWith, type FieldProblem } from '../../web/forms/form-errors.js';
import { Csrf, Layout } from '../../web/layout.js';
import { type WebEnv } from '../../web/web-auth.js';
import { costTemplate, getTemplate, isTemplateName, templateLanguage, type Costing } from '../wording/texts-service.js';
import { notFound } from '../../lib/errors.js';
import { ReflowTable } from '../../web/components/reflow-table.js';
import { SOURCE_WORDS } from './text-sources.js';
import { Warning } from '../../web/components/warning.js';
import { SummaryList } from '../../web/components/summary-list.js';

export function templateKey(c: Context<WebEnv>) {
  const name = c.req.param('name') ?? '';
  if (!isTemplateName(name)) throw notFound('Template');
  return { lang: templateLanguage(c.req.param('language') ?? ''), name };
}

/** Texts, segments and cost, one row per month or group; reflows into stacked rows on a phone. */
export function UsageTable(p: { first: string; rows: { label: string; texts: number; segments: number; cost: number }[]; currency: string }) {
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
      <SummaryList
        rows={[
          [
            'Encoding',
            preview.segments.encoding === 'GSM-7'
              ? 'GSM-7: 160 characters in one text, 153 a part when longer'
              : 'UCS-2 (letters outside GSM-7): 70 characters in one text, 67 a part when longer',
          ],
          ['Length', `${preview.segments.units} characters: ${preview.segments.segments} ${preview.segments.segments === 1 ? 'text' : 'texts'} (segments)`],
          ['Cost a text', `${money(costPerText, price.currency, 3)} at ${money(price.perSegment, price.currency, 4)} a segment`],
          [
            `Cost a month${p.groupName ? ` for ${p.groupName}` : ' for the practice'}`,
            `${money(perMonth.cost, price.currency)}: ${perMonth.texts} texts, ${perMonth.segments} segments (${perMonth.basis})`,
          ],
        ]}
      />
    </div>
  );
}

export async function editorPage(c: Context<WebEnv>, body: string | null, problems: FieldProblem[], groupId: number | null, status: 200 | 422 = 200) {
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
        <Warning banner>This is a draft translation. Have a community interpreter check it before patients get it, then save it here as your own.</Warning>
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
