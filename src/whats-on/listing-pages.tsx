import { Hono, type Context } from 'hono';
import { AppError } from '../lib/errors.js';
import { ErrorSummary, FieldError, problemsFor, titleWith, type FieldProblem, type FieldRules } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { Warning } from '../web/components/warning.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { GroupPatchBody } from '../groups/group-schemas.js';
import { getGroup, updateGroup } from '../groups/groups-service.js';
import { alissRecord, confirmAliss } from './directories/aliss-record.js';
import { contactOf } from './publish-check.js';
import { ListingPreview } from './listing-preview.js';

const manage = pageRoles('admin', 'clp');

const RULES: FieldRules = [
  ['publicName', 'publicName', 'Enter the public name, up to 100 characters'],
  ['publicSummary', 'publicSummary', 'Write a summary of 50 to 200 characters'],
  ['publicContact.phone', 'phone', 'Enter a UK phone number, like 0141 232 1234'],
  ['publicContact.email', 'email', 'Enter an email address, like walks@example.org'],
  ['publicContact.url', 'url', 'Enter a web address starting https://'],
  ['publicContact', 'phone', 'Give a phone number, an email address or a web page'],
  ['', 'public', 'Check the listing'],
];

/** Where a refusal to publish (422) belongs on the form. */
const PROBLEM_FIELDS: [RegExp, string][] = [
  [/public name/, 'publicName'],
  [/summary/, 'publicSummary'],
  [/contact/, 'phone'],
  [/venue/, 'venue'],
];

type Values = { public: string; publicName: string; publicSummary: string; phone: string; email: string; url: string };

/** A group in public: the listing's words, a preview of what the public sees, and the record to copy into ALISS. */
export const listingPages = new Hono<WebEnv>()
  .get('/groups/:id/public', manage, (c) => listingPage(c, null, []))
  .post('/groups/:id/public', manage, async (c) => {
    const f = await form(c);
    const values: Values = {
      public: str(f.public),
      publicName: str(f.publicName),
      publicSummary: str(f.publicSummary),
      phone: str(f.phone),
      email: str(f.email),
      url: str(f.url),
    };
    const contact = { ...(values.phone && { phone: values.phone }), ...(values.email && { email: values.email }), ...(values.url && { url: values.url }) };
    const parsed = GroupPatchBody.safeParse({
      public: values.public === 'yes',
      publicName: values.publicName || null,
      publicSummary: values.publicSummary || null,
      publicContact: Object.keys(contact).length ? contact : null,
    });
    if (!parsed.success) return listingPage(c, values, problemsFor(parsed.error.issues, RULES, true), 400);
    const { db, user, clock, config } = c.var;
    try {
      await updateGroup(
        db,
        clock,
        { practiceId: user.practiceId, timezone: user.timezone, horizonDays: config.horizonDays },
        Number(c.req.param('id')) || 0,
        parsed.data,
      );
    } catch (err) {
      const problems = err instanceof AppError && err.code === 'unprocessable' ? (err.details as { problems: string[] }).problems : null;
      if (!problems) throw err;
      const placed = problems.map((p) => ({ field: PROBLEM_FIELDS.find(([re]) => re.test(p))?.[1] ?? 'public', message: `Add ${p}` }));
      return listingPage(c, values, placed, 422);
    }
    const done = parsed.data.public ? 'Saved: the group is listed in public.' : 'Saved: the group is not listed in public.';
    return c.redirect(`/groups/${c.req.param('id')}/public?done=${encodeURIComponent(done)}`, 303);
  })
  .post('/groups/:id/aliss/confirm', manage, async (c) => {
    await form(c);
    const { db, user, clock } = c.var;
    await confirmAliss(db, user.practiceId, Number(c.req.param('id')) || 0, clock.now().getTime());
    return c.redirect(`/groups/${c.req.param('id')}/public?done=${encodeURIComponent('Noted: the ALISS listing is up to date.')}`, 303);
  });

async function listingPage(c: Context<WebEnv>, typed: Values | null, problems: FieldProblem[], status: 200 | 400 | 422 = 200) {
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const g = await getGroup(db, user.practiceId, Number(c.req.param('id')) || 0);
  const contact = contactOf(g);
  const v: Values = typed ?? {
    public: g.public === 1 ? 'yes' : '',
    publicName: g.public_name ?? '',
    publicSummary: g.public_summary ?? '',
    phone: contact.phone ?? '',
    email: contact.email ?? '',
    url: contact.url ?? '',
  };
  const aliss = await alissRecord(db, { id: user.practiceId, name: user.practiceName, timezone: user.timezone }, g.id, now);
  const err = (field: string) => <FieldError field={field} problems={problems} />;
  return c.html(
    <Layout title={titleWith(problems, `In public: ${g.name}`)} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <p>
        <a href={`/groups/${g.id}`}>Back to {g.name}</a>
      </p>
      <p>
        A public group is shown on <a href="/whats-on">What's on</a>, in Open Referral UK directories and its own calendar: its public name and summary, the
        venue, the contact and the coming sessions. Never who comes, how many, or the name the practice uses.
      </p>
      <form novalidate method="post" action={`/groups/${g.id}/public`}>
        <Csrf token={c.var.csrf} />
        {err('public')}
        <label class="check">
          <input type="checkbox" id="public" name="public" value="yes" checked={v.public === 'yes'} /> List this group in public
        </label>
        <label for="publicName">Public name</label>
        {err('publicName')}
        <input id="publicName" name="publicName" maxlength={100} value={v.publicName} />
        <label for="publicSummary">Summary (50 to 200 characters)</label>
        {err('publicSummary')}
        <textarea id="publicSummary" name="publicSummary" rows={3} maxlength={200}>
          {v.publicSummary}
        </textarea>
        <fieldset>
          <legend>How the public gets in touch (at least one)</legend>
          <label for="phone">Phone</label>
          {err('phone')}
          <input id="phone" name="phone" type="tel" value={v.phone} />
          <label for="email">Email</label>
          {err('email')}
          <input id="email" name="email" type="email" value={v.email} />
          <label for="url">Web page</label>
          {err('url')}
          <input id="url" name="url" type="url" value={v.url} />
        </fieldset>
        <p id="venue">
          Venue: its address (with the town on the last line) and postcode are set on the <a href="/venues">venue's page</a>.
        </p>
        {err('venue')}
        <button type="submit">Save</button>
      </form>
      <ListingPreview db={db} group={g} now={now} />
      <AlissSection groupId={g.id} csrf={c.var.csrf} aliss={aliss} />
    </Layout>,
    status,
  );
}

function AlissSection(p: { groupId: number; csrf: string; aliss: Awaited<ReturnType<typeof alissRecord>> }) {
  const r = p.aliss.record;
  const fields: [string, string, string][] = [
    ['aliss-name', 'Name', r.name],
    ['aliss-summary', 'Summary', r.summary],
    ['aliss-description', 'Description', r.description],
    ['aliss-phone', 'Phone', r.phone ?? ''],
    ['aliss-email', 'Email', r.email ?? ''],
    ['aliss-url', 'Web page', r.url ?? ''],
    ['aliss-location', 'Location', r.locations.map((l) => `${l.name}, ${l.address}, ${l.postcode}`).join('\n')],
    ['aliss-categories', 'Categories', r.categories.join(', ')],
  ];
  return (
    <section aria-labelledby="aliss-title">
      <h2 id="aliss-title">Copy for ALISS</h2>
      <p>ALISS (Scotland's directory of local support) is typed in by hand. Copy each field into the listing there.</p>
      {p.aliss.changedSinceConfirmed && (
        <Warning heading="The listing changed">Its schedule, venue, status or words changed since you last updated ALISS: update it there too.</Warning>
      )}
      {p.aliss.problems.length > 0 && (
        <Warning heading="ALISS would not take this yet">
          <ul>
            {p.aliss.problems.map((x) => (
              <li>{x}</li>
            ))}
          </ul>
        </Warning>
      )}
      {fields.map(([id, label, value]) => (
        <div>
          <label for={id}>{label}</label>
          <textarea id={id} readonly rows={id === 'aliss-description' ? 6 : 2}>
            {value}
          </textarea>
          <button type="button" class="secondary" data-copy={id} hidden>
            Copy {label.toLowerCase()}
          </button>
        </div>
      ))}
      <form novalidate method="post" action={`/groups/${p.groupId}/aliss/confirm`}>
        <Csrf token={p.csrf} />
        <button type="submit" class="secondary">
          I have updated ALISS
        </button>
      </form>
    </section>
  );
}
