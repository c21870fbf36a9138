import { Hono, type Context } from 'hono';
import { AppError } from '../lib/errors.js';
import type { Venue } from '../db/schema.js';
import { Csrf, Layout, PostButton } from '../web/layout.js';
import { ErrorSummary, FieldError, problemsFor, type FieldProblem, type FieldRules, titleWith } from '../web/forms/form-errors.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { VenueBody } from './venues-routes.js';
import { createVenue, getVenue, listVenues, updateVenue } from './venues-service.js';
import { riskReviewOverdue, riskReviewWords } from './risk-review.js';
import { DateInput, readDateField } from '../web/forms/date-input.js';
import { localDate } from '../lib/time/time.js';
import { Warning } from '../web/components/warning.js';
import { TextField } from '../web/forms/fields.js';

const manage = pageRoles('admin', 'clp');

const VENUE_FIELDS: FieldRules = [
  ['name', 'name', "Enter the venue's name, on one line, up to 200 characters"],
  ['address', 'address', 'Keep the address to 500 characters'],
  ['postcode', 'postcode', 'Enter a UK postcode, like G22 5EJ, or leave it empty'],
  ['meetingPoint', 'meetingPoint', 'Keep the meeting point to one line of 500 characters'],
  ['accessibility', 'accessibility', 'Keep the accessibility notes to 1000 characters'],
  ['riskAssessedOn', 'riskAssessedOn', 'Enter when the risk assessment was last reviewed as day, month and year, not in the future'],
  ['riskReviewMonths', 'riskReviewMonths', 'How often it must be reviewed: a whole number of months from 1 to 60, or empty'],
];

type VenueValues = {
  name: string;
  address: string;
  postcode: string;
  meetingPoint: string;
  accessibility: string;
  riskAssessedOn: string;
  riskReviewMonths: string;
};
const EMPTY: VenueValues = { name: '', address: '', postcode: '', meetingPoint: '', accessibility: '', riskAssessedOn: '', riskReviewMonths: '' };
const typed = (f: Record<string, string | string[]>): VenueValues => ({
  name: str(f.name),
  address: str(f.address),
  postcode: str(f.postcode),
  meetingPoint: str(f.meetingPoint),
  accessibility: str(f.accessibility),
  riskAssessedOn: readDateField(f, 'riskAssessedOn'),
  riskReviewMonths: str(f.riskReviewMonths),
});
const stored = (v: Venue): VenueValues => ({
  name: v.name,
  address: v.address ?? '',
  postcode: v.postcode ?? '',
  meetingPoint: v.meeting_point ?? '',
  accessibility: v.accessibility ?? '',
  riskAssessedOn: v.risk_assessed_on ?? '',
  riskReviewMonths: v.risk_review_months === null ? '' : String(v.risk_review_months),
});
const asBody = (v: VenueValues) => ({
  name: v.name,
  address: v.address || null,
  postcode: v.postcode || null,
  meetingPoint: v.meetingPoint || null,
  accessibility: v.accessibility || null,
  riskAssessedOn: v.riskAssessedOn || null,
  riskReviewMonths: v.riskReviewMonths === '' ? null : /^\d+$/.test(v.riskReviewMonths) ? Number(v.riskReviewMonths) : v.riskReviewMonths,
});

/** The form as the API's body, or its problems beside their fields (a review in the future among them). */
function checked(c: Context<WebEnv>, values: VenueValues) {
  const parsed = VenueBody.safeParse(asBody(values));
  if (!parsed.success) return { success: false as const, problems: problemsFor(parsed.error.issues, VENUE_FIELDS) };
  if (parsed.data.riskAssessedOn && parsed.data.riskAssessedOn > localDate(c.var.clock.now().getTime(), c.var.user.timezone)) {
    return { success: false as const, problems: [{ field: 'riskAssessedOn', message: 'The last review cannot be in the future: enter the date it happened' }] };
  }
  return parsed;
}

/** Venues: the places groups meet, with their meeting point and access; edited, archived and brought back. */
export const venuePages = new Hono<WebEnv>()
  .get('/venues', manage, (c) => venuesPage(c, [], null))
  .post('/venues', manage, async (c) => {
    const values = typed(await form(c));
    const parsed = checked(c, values);
    if (!parsed.success) return venuesPage(c, parsed.problems, values, 400);
    await createVenue(c.var.db, c.var.clock, c.var.user.practiceId, parsed.data);
    return c.redirect(`/venues?done=${encodeURIComponent(`${parsed.data.name} added.`)}`, 303);
  })
  .get('/venues/:id/edit', manage, async (c) => {
    const v = await getVenue(c.var.db, c.var.user.practiceId, Number(c.req.param('id')) || 0);
    return editPage(c, v.id, v.name, v.archived_at !== null, stored(v), []);
  })
  .post('/venues/:id', manage, async (c) => {
    const v = await getVenue(c.var.db, c.var.user.practiceId, Number(c.req.param('id')) || 0);
    const values = typed(await form(c));
    const parsed = checked(c, values);
    if (!parsed.success) return editPage(c, v.id, v.name, v.archived_at !== null, values, parsed.problems, 400);
    await updateVenue(c.var.db, c.var.clock, c.var.user.practiceId, v.id, parsed.data);
    return c.redirect(`/venues?done=${encodeURIComponent(`${parsed.data.name} saved.`)}`, 303);
  })
  .post('/venues/:id/archive', manage, async (c) => {
    await form(c);
    const v = await getVenue(c.var.db, c.var.user.practiceId, Number(c.req.param('id')) || 0);
    try {
      await updateVenue(c.var.db, c.var.clock, c.var.user.practiceId, v.id, { archived: true });
    } catch (err) {
      // Still in use: say so on the venue's own page, where the way forward is.
      if (err instanceof AppError && err.code === 'conflict') {
        return editPage(c, v.id, v.name, false, stored(v), [{ field: 'archive', message: err.message }], 409);
      }
      throw err;
    }
    return c.redirect(`/venues?done=${encodeURIComponent(`${v.name} archived: it is no longer offered for groups.`)}`, 303);
  })
  .post('/venues/:id/restore', manage, async (c) => {
    await form(c);
    const v = await updateVenue(c.var.db, c.var.clock, c.var.user.practiceId, Number(c.req.param('id')) || 0, { archived: false });
    return c.redirect(`/venues?done=${encodeURIComponent(`${v.name} is back in use.`)}`, 303);
  });

function VenueFields(p: { values: VenueValues; problems: FieldProblem[] }) {
  return (
    <>
      <TextField name="name" label="Name" maxlength={200} value={p.values.name} problems={p.problems} />
      <TextField name="address" label="Address" maxlength={500} value={p.values.address} problems={p.problems} />
      <TextField
        name="postcode"
        label="Postcode"
        hint="Needed to list its groups in public (what's on, directories)"
        width="short"
        maxlength={10}
        autocomplete="postal-code"
        value={p.values.postcode}
        problems={p.problems}
      />
      <TextField
        name="meetingPoint"
        label="Meeting point"
        maxlength={500}
        placeholder="e.g. front gate of Knightswood Park"
        value={p.values.meetingPoint}
        problems={p.problems}
      />
      <TextField name="accessibility" label="Accessibility notes" maxlength={1000} value={p.values.accessibility} problems={p.problems} />
      <DateInput
        name="riskAssessedOn"
        legend="Risk assessment last reviewed (optional)"
        hint="For a walk route or an outdoor venue. For example, 14 9 2026"
        value={p.values.riskAssessedOn}
        problems={p.problems}
      />
      <TextField
        name="riskReviewMonths"
        label="Review it every (months, optional; 6 for a walk route)"
        inputmode="numeric"
        width="width-4"
        value={p.values.riskReviewMonths}
        problems={p.problems}
      />
    </>
  );
}

async function venuesPage(c: Context<WebEnv>, problems: FieldProblem[], values: VenueValues | null, status: 200 | 400 = 200) {
  const venues = await listVenues(c.var.db, c.var.user.practiceId);
  const inUse = venues.filter((v) => v.archived_at === null);
  const archived = venues.filter((v) => v.archived_at !== null);
  const today = localDate(c.var.clock.now().getTime(), c.var.user.timezone);
  const overdue = inUse.filter((v) => riskReviewOverdue(v, today));
  return c.html(
    <Layout title={titleWith(problems, 'Venues')} user={c.var.user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      {overdue.length > 0 && (
        <Warning id="risk-reviews-due" heading="Risk assessments to review">
          <ul>
            {overdue.map((v) => (
              <li>
                <a href={`/venues/${v.id}/edit`}>{riskReviewWords(v)}</a>
              </li>
            ))}
          </ul>
        </Warning>
      )}
      <ul class="cards">
        {inUse.map((v) => (
          <li>
            <strong>{v.name}</strong> {v.address && <span class="muted">{v.address}</span>}
            {v.meeting_point && (
              <>
                <br />
                Meet at: {v.meeting_point}
              </>
            )}
            {v.accessibility && (
              <>
                <br />
                Access: {v.accessibility}
              </>
            )}
            <br />
            <a href={`/venues/${v.id}/edit`} aria-label={`Edit ${v.name}`}>
              Edit
            </a>
          </li>
        ))}
      </ul>
      <h2>Add a venue</h2>
      <form novalidate method="post" action="/venues">
        <Csrf token={c.var.csrf} />
        <VenueFields values={values ?? EMPTY} problems={problems} />
        <p>
          <button type="submit">Add venue</button>
        </p>
      </form>
      {archived.length > 0 && (
        <>
          <h2>Archived</h2>
          <ul class="cards">
            {archived.map((v) => (
              <li>
                <strong>{v.name}</strong> <PostButton action={`/venues/${v.id}/restore`} csrf={c.var.csrf} label="Bring back" name={`Bring back ${v.name}`} />
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>,
    status,
  );
}

function editPage(
  c: Context<WebEnv>,
  id: number,
  name: string,
  archived: boolean,
  values: VenueValues,
  problems: FieldProblem[],
  status: 200 | 400 | 409 = 200,
) {
  return c.html(
    <Layout title={titleWith(problems, `Edit ${name}`)} user={c.var.user} csrf={c.var.csrf}>
      <ErrorSummary problems={problems} />
      <form novalidate method="post" action={`/venues/${id}`}>
        <Csrf token={c.var.csrf} />
        <VenueFields values={values} problems={problems} />
        <p>
          <button type="submit">Save changes</button>
        </p>
      </form>
      {!archived && (
        <>
          <h2 id="archive">No longer used?</h2>
          <FieldError field="archive" problems={problems} />
          <p>Archiving keeps it on past sessions but stops offering it for groups and sessions. You can bring it back.</p>
          <form novalidate method="post" action={`/venues/${id}/archive`}>
            <Csrf token={c.var.csrf} />
            <button type="submit" class="secondary" aria-describedby={problems.some((x) => x.field === 'archive') ? 'archive-error' : undefined}>
              Archive this venue
            </button>
          </form>
        </>
      )}
    </Layout>,
    status,
  );
}
