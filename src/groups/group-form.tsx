import { DateInput } from '../web/date-input.js';
import { GROUP_KINDS } from '../db/schema.js';
import { WEEKDAYS } from './recurrence.js';
import { Csrf } from '../web/layout.js';
import { describerFor, ErrorSummary, FieldError, type FieldProblem } from '../web/form-errors.js';
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
  const err = (field: string) => <FieldError field={field} problems={problems} />;
  const describedBy = describerFor(problems);
  return (
    <form novalidate method="post" action={p.action}>
      <ErrorSummary problems={problems} />
      <Csrf token={p.csrf} />
      <label for="name">Name</label>
      {err('name')}
      <input id="name" name="name" maxlength={200} value={v.name} aria-describedby={describedBy('name')} />
      <label for="kind">Kind</label>
      {err('kind')}
      <select id="kind" name="kind" aria-describedby={describedBy('kind')}>
        {GROUP_KINDS.map((k) => (
          <option value={k} selected={v.kind === k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <label for="venueId">Venue</label>
      {err('venueId')}
      <select id="venueId" name="venueId" aria-describedby={describedBy('venueId')}>
        {p.venues.map((x) => (
          <option value={String(x.id)} selected={v.venueId === String(x.id)}>
            {x.name}
          </option>
        ))}
      </select>
      <label for="capacity">Places (leave empty for a drop-in group)</label>
      {err('capacity')}
      <input id="capacity" name="capacity" inputmode="numeric" value={v.capacity} aria-describedby={describedBy('capacity')} />
      <label for="smsLabel">Name used in texts (discreet, e.g. "your Tuesday group")</label>
      {err('smsLabel')}
      <input id="smsLabel" name="smsLabel" maxlength={40} value={v.smsLabel} aria-describedby={describedBy('smsLabel')} />
      <label for="description">Description</label>
      {err('description')}
      <textarea id="description" name="description" rows={3} maxlength={2000} aria-describedby={describedBy('description')}>
        {v.description}
      </textarea>
      <fieldset>
        <legend>Facilitators and leaders</legend>
        {err('facilitator-first')}
        {p.clps.map((u, i) => (
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
      <label for="participantsPerLeader">Most people per leader (optional; about 20 for a health walk)</label>
      {err('participantsPerLeader')}
      <input
        id="participantsPerLeader"
        name="participantsPerLeader"
        inputmode="numeric"
        value={v.participantsPerLeader}
        aria-describedby={describedBy('participantsPerLeader')}
      />
      <label class="check">
        <input type="checkbox" name="requiresFirstAid" value="yes" checked={v.requiresFirstAid} /> A leader with first aid must be there
      </label>
      <fieldset>
        <legend>Schedule</legend>
        <label for="frequency">How often</label>
        {err('frequency')}
        <select id="frequency" name="frequency" aria-describedby={describedBy('frequency')}>
          {[
            ['weekly', 'Every week'],
            ['fortnightly', 'Every two weeks'],
            ['monthly', 'Once a month'],
          ].map(([value, l]) => (
            <option value={value} selected={v.frequency === value}>
              {l}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>On</legend>
          {err('weekday-mon')}
          {WEEKDAYS.map((d, i) => (
            <label class="check">
              <input type="checkbox" id={`weekday-${d}`} name="weekdays" value={d} checked={v.weekdays.includes(d)} /> {DAY_LABELS[i]}
            </label>
          ))}
        </fieldset>
        <label for="weekOfMonth">Which week (monthly only)</label>
        {err('weekOfMonth')}
        <select id="weekOfMonth" name="weekOfMonth" aria-describedby={describedBy('weekOfMonth')}>
          {[
            ['1', 'First'],
            ['2', 'Second'],
            ['3', 'Third'],
            ['4', 'Fourth'],
            ['-1', 'Last'],
          ].map(([value, l]) => (
            <option value={value} selected={v.weekOfMonth === value}>
              {l}
            </option>
          ))}
        </select>
        <label for="startTime">Start time</label>
        {err('startTime')}
        <input id="startTime" name="startTime" type="time" value={v.startTime} aria-describedby={describedBy('startTime')} />
        <label for="durationMinutes">Length in minutes</label>
        {err('durationMinutes')}
        <input id="durationMinutes" name="durationMinutes" inputmode="numeric" value={v.durationMinutes} aria-describedby={describedBy('durationMinutes')} />
        <DateInput name="startDate" legend="First date" value={v.startDate} problems={problems} />
        <DateInput name="until" legend="Last date (optional)" hint="Leave empty if it goes on. For example, 30 6 2027" value={v.until} problems={problems} />
      </fieldset>
      <fieldset>
        <legend>Reminder texts (hours before)</legend>
        {err('reminder0')}
        {[0, 1].map((i) => (
          <>
            <label for={`reminder${i}`}>{i === 0 ? 'First reminder' : 'Second reminder'}</label>
            <input id={`reminder${i}`} name="reminderHours" inputmode="decimal" value={v.reminderHours[i] ?? ''} />
          </>
        ))}
      </fieldset>
      {p.editing && (
        <>
          <label for="status">Status</label>
          {err('status')}
          <select id="status" name="status">
            {['active', 'paused', 'archived'].map((value) => (
              <option value={value} selected={v.status === value}>
                {value}
              </option>
            ))}
          </select>
        </>
      )}
      <p>
        <button type="submit">{p.editing ? 'Save changes' : 'Create group'}</button>
      </p>
    </form>
  );
}
