import { z } from 'zod';
import { Id, LocalDate, MultilineText, OptionalMultilineText, OptionalText, Text } from '../lib/schemas.js';
import { DateOnly, ZonedTime } from '../openapi/describe.js';
import { participantFields } from '../participants/participant-schemas.js';

export const REFERRAL_STATUSES = ['received', 'accepted', 'declined', 'contacted', 'attended', 'closed'] as const;
/** The moves a person makes; "attended" happens by itself, at the first present or late mark. */
export const REFERRAL_MOVES = ['accepted', 'declined', 'contacted', 'closed'] as const;

/** Someone new to the service, as a referrer knows them: no more than a referral needs. */
const NewPerson = z
  .object({
    givenName: participantFields.givenName,
    familyName: participantFields.familyName,
    phone: participantFields.phone.optional().transform((v) => v ?? null),
    smsConsent: z
      .boolean()
      .optional()
      .transform((v) => v ?? false)
      .describe('The person agreed to texts about their group (needs a mobile number)'),
    chiNumber: participantFields.chiNumber,
    preferredLanguage: participantFields.preferredLanguage,
    interpreterLanguage: participantFields.interpreterLanguage,
  })
  .refine((p) => !p.smsConsent || p.phone !== null, { path: ['smsConsent'], message: 'consent to texts needs a mobile number' });

export const NewReferralBody = z
  .object({
    person: NewPerson.optional(),
    participantId: Id.optional(),
    reason: MultilineText(1000),
    needs: z
      .array(Text(60))
      .max(10)
      .optional()
      .transform((v) => [...new Set(v ?? [])]),
    suggestedGroupId: Id.nullish().transform((v) => v ?? null),
    consent: z
      .object({
        toBeReferred: z.boolean().optional().describe('Must be true: the person agreed to be referred (otherwise 422)'),
        shareWithReferrer: z
          .boolean()
          .optional()
          .transform((v) => v ?? false)
          .describe('The person agreed that their attendance and wellbeing be shared with the referrer'),
      })
      .optional()
      .transform((v) => ({ toBeReferred: v?.toBeReferred === true, shareWithReferrer: v?.shareWithReferrer ?? false })),
    referrer: z.object({ name: Text(100), organisation: OptionalText(100) }).optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.person === undefined) === (b.participantId === undefined))
      ctx.addIssue({ code: 'custom', path: ['person'], message: 'give either the person (a new one) or participantId (someone known), not both' });
  });
export type NewReferral = z.output<typeof NewReferralBody>;

export const ReferralPatchBody = z
  .object({
    status: z.enum(REFERRAL_MOVES),
    reason: OptionalMultilineText(500),
    groupId: Id.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.status === 'declined' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'say why the referral is declined' });
  });
export type ReferralMove = z.output<typeof ReferralPatchBody>;

export const ReferralListQuery = z.object({ status: z.enum(REFERRAL_STATUSES).optional() });
export const EventsQuery = z.object({ from: LocalDate.optional(), to: LocalDate.optional() });

const Who = z.object({ id: z.number().int(), name: z.string() }).nullable();

export const ReferralDto = z.object({
  id: z.number().int(),
  status: z.enum(REFERRAL_STATUSES),
  participantId: z.number().int(),
  givenName: z.string().nullable().describe('null once the person is erased'),
  familyName: z.string().nullable(),
  reason: z.string().nullable(),
  needs: z.array(z.string()),
  suggestedGroupId: z.number().int().nullable(),
  groupId: z.number().int().nullable(),
  groupName: z.string().nullable(),
  consent: z.object({ toBeReferred: z.literal(true), shareWithReferrer: z.boolean() }),
  referrer: z.object({ name: z.string().nullable(), organisation: z.string().nullable(), userId: z.number().int().nullable() }),
  receivedAt: ZonedTime,
  history: z.array(z.object({ status: z.enum(REFERRAL_STATUSES), at: ZonedTime, by: Who, reason: z.string().optional() })),
});

const Measure = z.object({ takenOn: DateOnly, score: z.number() });

export const ReplyDto = z.object({
  status: z.enum(REFERRAL_STATUSES),
  statusText: z.string().describe('Where the referral stands, in a sentence for the referrer'),
  groupName: z.string().optional(),
  firstSessionOn: DateOnly.optional().describe('The first session they came to; before that, the next one they have a place at'),
  sessionsAttended: z.number().int(),
  lastAttendedOn: DateOnly.optional(),
  wellbeing: z
    .object({ measure: z.literal('swemwbs'), first: Measure, latest: Measure.nullable() })
    .optional()
    .describe('Only when the person agreed to share it with the referrer: their first SWEMWBS and their latest'),
  producedAt: ZonedTime,
});
