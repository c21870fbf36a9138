import { z } from 'zod';
import { GROUP_KINDS } from '../db/schema.js';
import { Id, LocalDate, LocalTime, OptionalMultilineText, OptionalText, Text } from '../lib/schemas.js';
import { DEFAULT_REMINDER_OFFSETS } from './groups-service.js';
import { slotDates, WEEKDAYS } from './recurrence.js';

const FULL_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** "Tue", "tue" and "tuesday" all mean the same day. */
const Weekday = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const lower = v.trim().toLowerCase();
  const full = FULL_DAY_NAMES.indexOf(lower);
  return full >= 0 ? WEEKDAYS[full] : lower;
}, z.enum(WEEKDAYS));

export const ScheduleBody = z
  .object({
    frequency: z.enum(['weekly', 'fortnightly', 'monthly']),
    weekdays: z.array(Weekday).min(1, 'needs at least one weekday').max(7),
    weekOfMonth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]).nullish(),
    startTime: LocalTime,
    durationMinutes: z
      .number()
      .int()
      .min(1, 'must be at least 1 minute')
      .max(24 * 60, 'must be at most 24 hours'),
    startDate: LocalDate,
    until: LocalDate.nullish(),
    count: z.number().int().min(1).max(1000).nullish(),
  })
  .superRefine((s, ctx) => {
    if (s.startDate < '2000-01-01' || s.startDate > '2100-12-31')
      ctx.addIssue({ code: 'custom', path: ['startDate'], message: 'must be between 2000 and 2100' });
    if (s.until && s.until < s.startDate) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must not be before startDate' });
    if (s.until && s.count) ctx.addIssue({ code: 'custom', path: ['count'], message: 'give either until or count, not both' });
    if (s.frequency === 'monthly' && !s.weekOfMonth)
      ctx.addIssue({ code: 'custom', path: ['weekOfMonth'], message: 'monthly schedules need weekOfMonth (1-4, or -1 for the last)' });
    if (s.frequency !== 'monthly' && s.weekOfMonth) ctx.addIssue({ code: 'custom', path: ['weekOfMonth'], message: 'only monthly schedules take weekOfMonth' });
  })
  .transform((s) => ({
    frequency: s.frequency,
    weekdays: [...new Set(s.weekdays)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b)),
    weekOfMonth: s.weekOfMonth ?? null,
    startTime: s.startTime,
    durationMinutes: s.durationMinutes,
    startDate: s.startDate,
    until: s.until ?? null,
    count: s.count ?? null,
  }))
  .refine((s) => s.until === null || slotDates(s, s.until).length > 0, {
    message: 'this schedule has no sessions: no chosen weekday falls between startDate and until',
    path: ['until'],
  });

const UkPhone = z
  .string()
  .trim()
  .regex(/^(\+44\s?|0)[0-9 ]{9,13}$/, 'must be a UK phone number, like 0141 232 1234')
  .refine((v) => v.replace(/\D/g, '').length >= 10, 'must be a UK phone number, like 0141 232 1234');

/** How the public gets in touch: at least one of a phone, an email address or a web page. */
const PublicContactBody = z
  .object({
    phone: UkPhone.optional(),
    email: z.email('must be an email address').max(200).optional(),
    url: z
      .url({ protocol: /^https$/, error: 'must be an https:// web address' })
      .max(500)
      .optional(),
  })
  .refine((c) => c.phone || c.email || c.url, 'give a phone, an email address or a web page');

const groupFields = {
  name: Text(200),
  kind: z.enum(GROUP_KINDS),
  venueId: Id,
  capacity: z.number().int().min(1).max(1000).nullable(),
  description: OptionalMultilineText(2000),
  // Shown in SMS instead of the group's name, so keep it short.
  smsLabel: OptionalText(40),
  smsLabels: z
    .record(
      z.string().regex(/^[a-z]{2,3}$/, 'must be a language tag such as ar, pl or uk'),
      z
        .string()
        .trim()
        .min(1)
        .max(40)
        .regex(/^[^\r\n]*$/, 'must be one line'),
    )
    .nullable()
    .describe('The discreet name in each language (smsLabel is the English one); a language without one uses its own neutral words'),
  facilitatorIds: z.array(Id).max(20),
  reminderOffsetsMinutes: z
    .array(
      z
        .number()
        .int()
        .min(15, 'must be at least 15 minutes')
        .max(14 * 1440, 'must be at most 14 days'),
    )
    .max(4)
    .transform((a) => [...new Set(a)].sort((x, y) => y - x)),
  status: z.enum(['active', 'paused', 'archived']),
  schedule: ScheduleBody,
  // Safe ratios: a walk has about one leader for 20 walkers; null when the group sets none.
  participantsPerLeader: z.number().int().min(1).max(100).nullable(),
  requiresFirstAid: z.boolean(),
  public: z
    .boolean()
    .describe(
      'Listed on /whats-on, in Open Referral UK and ready for ALISS; needs publicName, publicSummary, publicContact and a venue with address and postcode (422 otherwise)',
    ),
  publicName: OptionalText(100).describe('The name the public sees ("Promising Links" stays private unless chosen)'),
  publicSummary: OptionalText(200).refine((v) => v === null || v.length >= 50, 'must be 50 to 200 characters, as ALISS asks'),
  publicContact: PublicContactBody.nullable(),
};

export const GroupDto = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(GROUP_KINDS),
  description: z.string().nullable(),
  venueId: z.number().int(),
  capacity: z.number().int().nullable(),
  smsLabel: z.string().nullable(),
  smsLabels: z.record(z.string(), z.string()).nullable(),
  facilitatorIds: z.array(z.number().int()),
  reminderOffsetsMinutes: z.array(z.number().int()),
  status: z.enum(['active', 'paused', 'archived']),
  participantsPerLeader: z.number().int().nullable().describe('Most people expected per leader before the session is flagged'),
  requiresFirstAid: z.boolean().describe("A session is flagged when none of the group's leaders holds first aid valid on its day"),
  public: z.boolean(),
  publicName: z.string().nullable(),
  publicSummary: z.string().nullable(),
  publicContact: z.object({ phone: z.string().optional(), email: z.string().optional(), url: z.string().optional() }).nullable(),
  publicId: z.string().nullable().describe("The service's stable UUID in Open Referral UK, made when first published"),
  schedule: z.object({
    frequency: z.enum(['weekly', 'fortnightly', 'monthly']),
    weekdays: z.array(z.enum(WEEKDAYS)),
    weekOfMonth: z.number().int().optional(),
    startTime: z.string(),
    durationMinutes: z.number().int(),
    startDate: z.string(),
    until: z.string().optional(),
    count: z.number().int().optional(),
  }),
});

export const NewGroupBody = z.object({
  ...groupFields,
  capacity: groupFields.capacity.optional().transform((v) => v ?? null),
  smsLabels: groupFields.smsLabels.optional().transform((v) => v ?? null),
  facilitatorIds: groupFields.facilitatorIds.optional().transform((v) => v ?? []),
  reminderOffsetsMinutes: groupFields.reminderOffsetsMinutes.optional().transform((v) => v ?? DEFAULT_REMINDER_OFFSETS),
  status: groupFields.status.optional().transform((v) => v ?? 'active'),
  participantsPerLeader: groupFields.participantsPerLeader.optional().transform((v) => v ?? null),
  requiresFirstAid: groupFields.requiresFirstAid.optional().transform((v) => v ?? false),
  public: groupFields.public.optional().transform((v) => v ?? false),
  publicContact: groupFields.publicContact.optional().transform((v) => v ?? null),
});

export const GroupPatchBody = z
  .object(groupFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
