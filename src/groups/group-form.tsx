import type { Group } from '../db/schema.js';
import { DateInput, readDateField } from '../web/date-input.js';
import { GROUP_KINDS } from '../db/schema.js';
import { scheduleOf } from '../sessions/session-sync.js';
import { WEEKDAYS } from './recurrence.js';
import { DEFAULT_REMINDER_OFFSETS } from './groups-service.js';
import type { z } from 'zod';
import { Csrf } from '../web/layout.js';
import { describerFor, ErrorSummary, FieldError, problemsFor, type FieldProblem, type FieldRules } from '../web/form-errors.js';
import { list, str } from '../web/web-auth.js';

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

/** Turns the group form into the API's JSON shape, so the same zod schema checks both. */
export function groupFormToJson(f: Record<string, string | string[]>) {
  const num = (v: string) => (v === '' ? undefined : Number(v));
  const frequency = str(f.frequency);
  return {
    name: str(f.name),
    kind: str(f.kind),
    venueId: num(str(f.venueId)),
    capacity: str(f.capacity) === '' ? null : Number(str(f.capacity)),
    description: str(f.description) || null,
    smsLabel: str(f.smsLabel) || null,
    facilitatorIds: list(f.facilitatorIds).map(Number),
    reminderOffsetsMinutes: list(f.reminderHours)
      .filter(Boolean)
      .map((h) => Math.round(Number(h) * 60)),
    status: str(f.status) || 'active',
    participantsPerLeader: str(f.participantsPerLeader) === '' ? null : Number(str(f.participantsPerLeader)),
    requiresFirstAid: str(f.requiresFirstAid) === 'yes',
    schedule: {
      frequency,
      weekdays: list(f.weekdays),
      weekOfMonth: frequency === 'monthly' ? num(str(f.weekOfMonth)) : undefined,
      startTime: str(f.startTime),
      durationMinutes: num(str(f.durationMinutes)),
      startDate: readDateField(f, 'startDate'),
      until: readDateField(f, 'until') || undefined,
    },
  };
}

/** What the form shows: a group's settings, or exactly what was typed when it comes back with problems. */
export interface GroupFormValues {
  name: string;
  kind: string;
  venueId: string;
  capacity: string;
  smsLabel: string;
  description: string;
  facilitatorIds: string[];
  frequency: string;
  weekdays: string[];
  weekOfMonth: string;
  startTime: string;
  durationMinutes: string;
  startDate: string;
  until: string;
  reminderHours: string[];
  status: string;
  participantsPerLeader: string;
  requiresFirstAid: boolean;
}

export function groupFormValues(g: Group | undefined, facilitatorIds: number[], today: string): GroupFormValues {
  const s = g ? scheduleOf(g) : undefined;
  const offsets: number[] = g ? JSON.parse(g.reminder_offsets) : DEFAULT_REMINDER_OFFSETS;
  return {
    name: g?.name ?? '',
    kind: g?.kind ?? GROUP_KINDS[0],
    venueId: g ? String(g.venue_id) : '',
    capacity: g?.capacity == null ? '' : String(g.capacity),
    smsLabel: g?.sms_label ?? '',
    description: g?.description ?? '',
    facilitatorIds: facilitatorIds.map(String),
    frequency: s?.frequency ?? 'weekly',
    weekdays: s?.weekdays ?? [],
    weekOfMonth: s?.weekOfMonth == null ? '' : String(s.weekOfMonth),
    startTime: s?.startTime ?? '10:00',
    durationMinutes: String(s?.durationMinutes ?? 60),
    startDate: s?.startDate ?? today,
    until: s?.until ?? '',
    reminderHours: offsets.map((m) => String(m / 60)),
    status: g?.status ?? 'active',
    participantsPerLeader: g?.participants_per_leader == null ? '' : String(g.participants_per_leader),
    requiresFirstAid: g?.requires_first_aid === 1,
  };
}

export function typedGroupForm(f: Record<string, string | string[]>): GroupFormValues {
  return {
    name: str(f.name),
    kind: str(f.kind),
    venueId: str(f.venueId),
    capacity: str(f.capacity),
    smsLabel: str(f.smsLabel),
    description: str(f.description),
    facilitatorIds: list(f.facilitatorIds),
    frequency: str(f.frequency),
    weekdays: list(f.weekdays),
    weekOfMonth: str(f.weekOfMonth),
    startTime: str(f.startTime),
    durationMinutes: str(f.durationMinutes),
    startDate: readDateField(f, 'startDate'),
    until: readDateField(f, 'until'),
    reminderHours: list(f.reminderHours),
    status: str(f.status),
    participantsPerLeader: str(f.participantsPerLeader),
    requiresFirstAid: str(f.requiresFirstAid) === 'yes',
  };
}

/** Each part of the group's rules, as the field a person fixes and what to do, in plain words. */
const GROUP_FIELDS: FieldRules = [
  ['name', 'name', "Enter the group's name, on one line, up to 200 characters"],
  ['kind', 'kind', 'Choose what kind of group it is'],
  ['venueId', 'venueId', 'Choose where the group meets'],
  ['capacity', 'capacity', 'Places must be a whole number from 1 to 1000, or empty for a drop-in group'],
  ['smsLabel', 'smsLabel', 'Keep the name used in texts to one line of 40 characters'],
  ['description', 'description', 'Keep the description to 2000 characters'],
  ['facilitatorIds', 'facilitator-first', 'Choose facilitators from the list'],
  ['reminderOffsetsMinutes', 'reminder0', 'Reminders go from a quarter of an hour (0.25) to 14 days (336 hours) before'],
  ['schedule.frequency', 'frequency', 'Choose how often the group meets'],
  ['schedule.weekdays', 'weekday-mon', 'Choose at least one day'],
  ['schedule.weekOfMonth', 'weekOfMonth', 'For a monthly group, choose which week of the month'],
  ['schedule.startTime', 'startTime', 'Enter the start time, like 10:00'],
  ['schedule.durationMinutes', 'durationMinutes', 'The length must be from 1 to 1440 minutes'],
  ['schedule.startDate', 'startDate', 'Enter the first date as day, month and year, between 2000 and 2100'],
  ['schedule.until', 'until', 'The last date must be on or after the first date, with a chosen day between them'],
  ['status', 'status', 'Choose active, paused or archived'],
  ['participantsPerLeader', 'participantsPerLeader', 'People per leader must be a whole number from 1 to 100, or empty'],
  ['schedule', 'frequency', 'Check the schedule'],
];

/** zod's findings on the group form as problems beside its fields (the schedule's own words name schema fields). */
export function groupProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return problemsFor(issues, GROUP_FIELDS);
}

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
