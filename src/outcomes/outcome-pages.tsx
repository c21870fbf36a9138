import { Hono } from 'hono';
import { z } from 'zod';
import type { Outcome, OutcomeMeasure } from '../db/schema.js';
import { LocalDate } from '../lib/schemas.js';
import { localDate, ukDate } from '../lib/time/time.js';
import { requireLiveParticipant } from '../participants/participants-service.js';
import { ErrorSummary, FieldError, titleWith, type FieldProblem } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { DateInput, readDateField } from '../web/forms/date-input.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { recordOutcome, toOutcomeDto } from './outcomes-service.js';
import { MEASURES } from './wellbeing-scores.js';

const manage = pageRoles('admin', 'clp');

/** The seven SWEMWBS statements and the four ONS questions, as people are asked them. */
const ITEMS: Record<OutcomeMeasure, string[]> = {
  swemwbs: [
    "I've been feeling optimistic about the future",
    "I've been feeling useful",
    "I've been feeling relaxed",
    "I've been dealing with problems well",
    "I've been thinking clearly",
    "I've been feeling close to other people",
    "I've been able to make up my own mind about things",
  ],
  ons4: [
    'Overall, how satisfied are you with your life nowadays?',
    'Overall, to what extent do you feel that the things you do in your life are worthwhile?',
    'Overall, how happy did you feel yesterday?',
    'Overall, how anxious did you feel yesterday?',
  ],
  happiness: ['Overall, how happy did you feel yesterday?'],
};
const SWEMWBS_SCALE = ['None of the time', 'Rarely', 'Some of the time', 'Often', 'All of the time'];

/** A participant's wellbeing measures, on their page. */
export function OutcomesSection(p: { participantId: number; outcomes: Outcome[]; zone: string }) {
  return (
    <>
      <h2>Wellbeing</h2>
      {p.outcomes.length === 0 ? (
        <p class="muted">No measure taken yet: take a baseline now, and a follow-up after 12 weeks.</p>
      ) : (
        <ul>
          {p.outcomes.map((o) => {
            const d = toOutcomeDto(o, p.zone);
            return (
              <li>
                {ukDate(d.takenOn)}:{' '}
                {d.measure === 'swemwbs'
                  ? `SWEMWBS ${d.metricScore} (raw ${d.rawScore})`
                  : d.measure === 'happiness'
                    ? `Happiness ${d.value} of 10${d.source === 'sms' ? ', by text' : ''}`
                    : `ONS4 ${d.answers.join(' / ')}`}
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <a class="button secondary" href={`/participants/${p.participantId}/outcomes/new?measure=swemwbs`}>
          Take SWEMWBS
        </a>{' '}
        <a class="button secondary" href={`/participants/${p.participantId}/outcomes/new?measure=ons4`}>
          Take ONS4
        </a>
      </p>
    </>
  );
}

const measureOf = (v: string | undefined): OutcomeMeasure => (v === 'ons4' ? 'ons4' : 'swemwbs');

function OutcomeForm(p: { id: number; measure: OutcomeMeasure; today: string; csrf: string; values: Record<string, string>; problems: FieldProblem[] }) {
  const m = MEASURES[p.measure];
  const scale = Array.from({ length: m.max - m.min + 1 }, (_, i) => m.min + i);
  return (
    <form novalidate method="post" action={`/participants/${p.id}/outcomes?measure=${p.measure}`}>
      <Csrf token={p.csrf} />
      <p class="muted">Read each one out if that helps; answers stay here and are never texted.</p>
      {ITEMS[p.measure].map((text, i) => (
        <fieldset class="mark" id={`item${i}`}>
          <legend>{text}</legend>
          <FieldError field={`item${i}`} problems={p.problems} />
          <div class="statuses">
            {scale.map((v) => (
              <label>
                <input type="radio" name={`item${i}`} value={String(v)} checked={p.values[`item${i}`] === String(v)} />
                {p.measure === 'swemwbs' ? SWEMWBS_SCALE[v - 1] : String(v)}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <DateInput name="takenOn" legend="Taken on" hint="Today or before. For example, 1 3 2027" value={p.values.takenOn ?? p.today} problems={p.problems} />
      <p>
        <button type="submit">Save {p.measure === 'swemwbs' ? 'SWEMWBS' : 'ONS4'}</button>
      </p>
    </form>
  );
}

/** Taking a measure on a phone: one tap per statement, then Save. */
export const outcomePages = new Hono<WebEnv>()
  .get('/participants/:id/outcomes/new', manage, async (c) => {
    const { db, user, clock } = c.var;
    const p = await requireLiveParticipant(db, user.practiceId, Number(c.req.param('id')) || 0);
    const measure = measureOf(c.req.query('measure'));
    return c.html(
      <Layout title={`${MEASURES[measure].title}: ${p.given_name ?? ''}`} user={user} csrf={c.var.csrf}>
        <OutcomeForm id={p.id} measure={measure} today={localDate(clock.now().getTime(), user.timezone)} csrf={c.var.csrf} values={{}} problems={[]} />
      </Layout>,
    );
  })
  .post('/participants/:id/outcomes', manage, async (c) => {
    const f = await form(c);
    const { db, user, clock } = c.var;
    const now = clock.now().getTime();
    const p = await requireLiveParticipant(db, user.practiceId, Number(c.req.param('id')) || 0);
    const measure = measureOf(c.req.query('measure'));
    const m = MEASURES[measure];
    const values: Record<string, string> = { ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, str(v)])), takenOn: readDateField(f, 'takenOn') };
    const problems: FieldProblem[] = [];
    const answers = ITEMS[measure].map((_, i) => {
      const v = Number(values[`item${i}`]);
      if (!values[`item${i}`] || !Number.isInteger(v) || v < m.min || v > m.max)
        problems.push({ field: `item${i}`, message: `Choose an answer for "${ITEMS[measure][i]}"` });
      return v;
    });
    const today = localDate(now, user.timezone);
    const takenOn = z.string().pipe(LocalDate).safeParse(values.takenOn);
    if (!takenOn.success || takenOn.data > today)
      problems.push({ field: 'takenOn', message: 'Enter the date it was taken as day, month and year, today or before' });
    if (problems.length > 0) {
      return c.html(
        <Layout title={titleWith(problems, `${MEASURES[measure].title}: ${p.given_name ?? ''}`)} user={user} csrf={c.var.csrf}>
          <ErrorSummary problems={problems} />
          <OutcomeForm id={p.id} measure={measure} today={today} csrf={c.var.csrf} values={values} problems={problems} />
        </Layout>,
        422,
      );
    }
    const row = await recordOutcome(db, user, now, p.id, { measure, answers, takenOn: takenOn.data! });
    const d = toOutcomeDto(row, user.timezone);
    const done = measure === 'swemwbs' ? `SWEMWBS saved: ${d.metricScore} (raw ${d.rawScore}).` : 'ONS4 saved.';
    return c.redirect(`/participants/${p.id}?done=${encodeURIComponent(done)}`, 303);
  });
