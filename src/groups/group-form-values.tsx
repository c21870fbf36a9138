import type { Group } from '../db/schema.js';
import { readDateField } from '../web/forms/date-input.js';
import { GROUP_KINDS } from '../db/schema.js';
import { scheduleOf } from '../sessions/session-sync.js';
import { DEFAULT_REMINDER_OFFSETS } from './groups-service.js';
import type { z } from 'zod';
import { problemsFor, type FieldProblem, type FieldRules } from '../web/forms/form-errors.js';
import { list, str } from '../web/web-auth.js';

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
