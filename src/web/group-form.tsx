import type { Group } from '../db/schema.js';
import { GROUP_KINDS } from '../db/schema.js';
import { scheduleOf } from '../sessions/session-sync.js';
import { WEEKDAYS } from '../groups/recurrence.js';
import { DEFAULT_REMINDER_OFFSETS } from '../groups/groups-service.js';
import { Csrf } from './layout.js';
import { list, str } from './web-auth.js';

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
    schedule: {
      frequency,
      weekdays: list(f.weekdays),
      weekOfMonth: frequency === 'monthly' ? num(str(f.weekOfMonth)) : undefined,
      startTime: str(f.startTime),
      durationMinutes: num(str(f.durationMinutes)),
      startDate: str(f.startDate),
      until: str(f.until) || undefined,
    },
  };
}

export function GroupForm(p: {
  action: string;
  csrf: string;
  group?: Group;
  facilitatorIds?: number[];
  venues: { id: number; name: string }[];
  clps: { id: number; name: string }[];
  today: string;
}) {
  const g = p.group;
  const s = g ? scheduleOf(g) : undefined;
  const offsets: number[] = g ? JSON.parse(g.reminder_offsets) : DEFAULT_REMINDER_OFFSETS;
  return (
    <form method="post" action={p.action}>
      <Csrf token={p.csrf} />
      <label for="name">Name</label>
      <input id="name" name="name" required maxlength={200} value={g?.name ?? ''} />
      <label for="kind">Kind</label>
      <select id="kind" name="kind">
        {GROUP_KINDS.map((k) => (
          <option value={k} selected={g?.kind === k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <label for="venueId">Venue</label>
      <select id="venueId" name="venueId" required>
        {p.venues.map((v) => (
          <option value={String(v.id)} selected={g?.venue_id === v.id}>
            {v.name}
          </option>
        ))}
      </select>
      <label for="capacity">Places (leave empty for a drop-in group)</label>
      <input id="capacity" name="capacity" type="number" min="1" max="1000" inputmode="numeric" value={g?.capacity == null ? '' : String(g.capacity)} />
      <label for="smsLabel">Name used in texts (discreet, e.g. "your Tuesday group")</label>
      <input id="smsLabel" name="smsLabel" maxlength={40} value={g?.sms_label ?? ''} />
      <label for="description">Description</label>
      <textarea id="description" name="description" rows={3} maxlength={2000}>
        {g?.description ?? ''}
      </textarea>
      <fieldset>
        <legend>Facilitators</legend>
        {p.clps.map((u) => (
          <label class="check">
            <input type="checkbox" name="facilitatorIds" value={String(u.id)} checked={p.facilitatorIds?.includes(u.id)} /> {u.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Schedule</legend>
        <label for="frequency">How often</label>
        <select id="frequency" name="frequency">
          {[
            ['weekly', 'Every week'],
            ['fortnightly', 'Every two weeks'],
            ['monthly', 'Once a month'],
          ].map(([v, l]) => (
            <option value={v} selected={s?.frequency === v}>
              {l}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>On</legend>
          {WEEKDAYS.map((d, i) => (
            <label class="check">
              <input type="checkbox" name="weekdays" value={d} checked={s?.weekdays.includes(d)} /> {DAY_LABELS[i]}
            </label>
          ))}
        </fieldset>
        <label for="weekOfMonth">Which week (monthly only)</label>
        <select id="weekOfMonth" name="weekOfMonth">
          {[
            ['1', 'First'],
            ['2', 'Second'],
            ['3', 'Third'],
            ['4', 'Fourth'],
            ['-1', 'Last'],
          ].map(([v, l]) => (
            <option value={v} selected={String(s?.weekOfMonth) === v}>
              {l}
            </option>
          ))}
        </select>
        <label for="startTime">Start time</label>
        <input id="startTime" name="startTime" type="time" required value={s?.startTime ?? '10:00'} />
        <label for="durationMinutes">Length in minutes</label>
        <input id="durationMinutes" name="durationMinutes" type="number" min="1" max="1440" required value={String(s?.durationMinutes ?? 60)} />
        <label for="startDate">First date</label>
        <input id="startDate" name="startDate" type="date" required value={s?.startDate ?? p.today} />
        <label for="until">Last date (optional)</label>
        <input id="until" name="until" type="date" value={s?.until ?? ''} />
      </fieldset>
      <fieldset>
        <legend>Reminder texts (hours before)</legend>
        {[0, 1].map((i) => (
          <>
            <label for={`reminder${i}`}>{i === 0 ? 'First reminder' : 'Second reminder'}</label>
            <input
              id={`reminder${i}`}
              name="reminderHours"
              type="number"
              min="0.25"
              max="336"
              step="0.25"
              value={offsets[i] !== undefined ? String(offsets[i]! / 60) : ''}
            />
          </>
        ))}
      </fieldset>
      {g && (
        <>
          <label for="status">Status</label>
          <select id="status" name="status">
            {['active', 'paused', 'archived'].map((v) => (
              <option value={v} selected={g.status === v}>
                {v}
              </option>
            ))}
          </select>
        </>
      )}
      <p>
        <button type="submit">{g ? 'Save changes' : 'Create group'}</button>
      </p>
    </form>
  );
}
