import { DateInput } from '../web/forms/date-input.js';
import { GROUP_KINDS } from '../db/schema.js';
import { WEEKDAYS } from './recurrence.js';
import { Csrf } from '../web/layout.js';
import { ErrorSummary, FieldError, type FieldProblem } from '../web/forms/form-errors.js';
import { SelectField, TextAreaField, TextField, Tick } from '../web/forms/fields.js';
import { type GroupFormValues } from './group-form-values.js';

const KIND_LABELS: Record<string, string> = {
  allotment: 'Community allotment',
  health_walk: 'Health walk',
  mindfulness: 'Mindfulness',
  chair_yoga: 'Chair yoga',
  peer_support: 'Peer support',
  book_club: 'Book club',
  other: 'Other',
};
const DAY_LABELS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const FREQUENCIES = [
  ['weekly', 'Every week'],
  ['fortnightly', 'Every two weeks'],
  ['monthly', 'Once a month'],
] as const;

const WEEKS_OF_MONTH = [
  ['1', 'First'],
  ['2', 'Second'],
  ['3', 'Third'],
  ['4', 'Fourth'],
  ['-1', 'Last'],
] as const;

type Section = { v: GroupFormValues; problems: FieldProblem[] };

export function GroupForm(p: {
  action: string;
  csrf: string;
  editing: boolean;
  values: GroupFormValues;
  problems?: FieldProblem[];
  venues: { id: number; name: string }[];
  clps: { id: number; name: string }[];
}) {
  const v = p.values;
  const problems = p.problems ?? [];
  return (
    <form novalidate method="post" action={p.action}>
      <ErrorSummary problems={problems} />
      <Csrf token={p.csrf} />
      <TextField name="name" label="Name" maxlength={200} value={v.name} problems={problems} />
      <SelectField name="kind" label="Kind" options={GROUP_KINDS.map((k) => [k, KIND_LABELS[k] ?? k] as const)} value={v.kind} problems={problems} />
      <SelectField name="venueId" label="Venue" options={p.venues.map((x) => [String(x.id), x.name] as const)} value={v.venueId} problems={problems} />
      <TextField name="capacity" label="Places (leave empty for a drop-in group)" inputmode="numeric" value={v.capacity} problems={problems} />
      <TextField name="smsLabel" label={'Name used in texts (discreet, e.g. "your Tuesday group")'} maxlength={40} value={v.smsLabel} problems={problems} />
      <TextAreaField name="description" label="Description" rows={3} maxlength={2000} value={v.description} problems={problems} />
      <Leaders v={v} problems={problems} clps={p.clps} />
      <Schedule v={v} problems={problems} />
      <fieldset>
        <legend>Reminder texts (hours before)</legend>
        <FieldError field="reminder0" problems={problems} />
        {[0, 1].map((i) => (
          <>
            <label for={`reminder${i}`}>{i === 0 ? 'First reminder' : 'Second reminder'}</label>
            <input id={`reminder${i}`} name="reminderHours" inputmode="decimal" value={v.reminderHours[i] ?? ''} />
          </>
        ))}
      </fieldset>
      {p.editing && (
        <SelectField name="status" label="Status" options={['active', 'paused', 'archived'].map((x) => [x, x] as const)} value={v.status} problems={problems} />
      )}
      <p>
        <button type="submit">{p.editing ? 'Save changes' : 'Create group'}</button>
      </p>
    </form>
  );
}

/** Who leads it, how many each may lead, and whether first aid must be there. */
function Leaders({ v, problems, clps }: Section & { clps: { id: number; name: string }[] }) {
  return (
    <>
      <fieldset>
        <legend>Facilitators and leaders</legend>
        <FieldError field="facilitator-first" problems={problems} />
        {clps.map((u, i) => (
          <label class="check">
            <input
              type="checkbox"
              id={i === 0 ? 'facilitator-first' : undefined}
              name="facilitatorIds"
              value={String(u.id)}
              checked={v.facilitatorIds.includes(String(u.id))}
            />{' '}
            {u.name}
          </label>
        ))}
      </fieldset>
      <TextField
        name="participantsPerLeader"
        label="Most people per leader (optional; about 20 for a health walk)"
        inputmode="numeric"
        value={v.participantsPerLeader}
        problems={problems}
      />
      <Tick name="requiresFirstAid" checked={v.requiresFirstAid}>
        A leader with first aid must be there
      </Tick>
    </>
  );
}

/** How often, on which days, at what time, from and until when. */
function Schedule({ v, problems }: Section) {
  return (
    <fieldset>
      <legend>Schedule</legend>
      <SelectField name="frequency" label="How often" options={FREQUENCIES} value={v.frequency} problems={problems} />
      <fieldset>
        <legend>On</legend>
        <FieldError field="weekday-mon" problems={problems} />
        {WEEKDAYS.map((d, i) => (
          <label class="check">
            <input type="checkbox" id={`weekday-${d}`} name="weekdays" value={d} checked={v.weekdays.includes(d)} /> {DAY_LABELS[i]}
          </label>
        ))}
      </fieldset>
      <SelectField name="weekOfMonth" label="Which week (monthly only)" options={WEEKS_OF_MONTH} value={v.weekOfMonth} problems={problems} />
      <TextField name="startTime" label="Start time" type="time" value={v.startTime} problems={problems} />
      <TextField name="durationMinutes" label="Length in minutes" inputmode="numeric" value={v.durationMinutes} problems={problems} />
      <DateInput name="startDate" legend="First date" value={v.startDate} problems={problems} />
      <DateInput name="until" legend="Last date (optional)" hint="Leave empty if it goes on. For example, 30 6 2027" value={v.until} problems={problems} />
    </fieldset>
  );
}
