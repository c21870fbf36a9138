import { z } from 'zod';
import { ZonedTime } from '../openapi/describe.js';
import { normaliseMobile } from '../lib/phone.js';
import { canonicalTag } from '../sms/wording/languages.js';
import { chiProblem, normaliseChi } from '../outcomes/chi-number.js';
import { OptionalMultilineText, OptionalText, Text } from '../lib/schemas.js';

const Phone = z.string().transform((v, ctx) => {
  const r = normaliseMobile(v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: `phone ${r.message}` });
    return z.NEVER;
  }
  return r.e164;
});

/** A BCP 47 tag ("fa", "ckb", "pt-BR"), kept in its canonical form; texts go in it where wording exists. */
const LanguageTag = OptionalText(35).transform((v, ctx) => {
  if (v === null) return null;
  const tag = canonicalTag(v);
  if (!tag) {
    ctx.addIssue({ code: 'custom', message: 'use a language code such as "fa", "ar", "pl" or "ckb"' });
    return z.NEVER;
  }
  return tag;
});

/** A CHI number, spaces allowed; refused when its date or check digit is wrong. */
const ChiNumber = OptionalText(20).transform((v, ctx) => {
  if (v === null) return null;
  const chi = normaliseChi(v);
  const problem = chiProblem(chi);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return chi;
});

/** The programme's pseudonymous ID: letters and digits, like P1000. */
const ProgrammeId = OptionalText(20).pipe(
  z
    .string()
    .regex(/^[A-Za-z0-9]+$/, 'letters and digits only, like P1000')
    .nullable(),
);

export const participantFields = {
  givenName: Text(100, 0).refine((v) => v.length > 0, 'a given name is needed'),
  familyName: OptionalText(100),
  phone: Phone.nullable(),
  smsConsent: z.boolean(),
  smsConsentMethod: z.enum(['verbal', 'written', 'text_reply', 'online']).nullable(),
  doNotText: z.boolean(),
  preferredLanguage: LanguageTag,
  interpreterNeeded: z.boolean(),
  accessNeeds: OptionalMultilineText(1000),
  gender: z.enum(['female', 'male', 'non_binary', 'other', 'prefer_not_to_say']).nullable(),
  chiNumber: ChiNumber,
  programmeId: ProgrammeId,
  interpreterLanguage: LanguageTag,
  mobility: OptionalText(100),
  transportArranged: z.boolean(),
  firstSessionSupport: OptionalText(200),
  emergencyContact: OptionalText(200),
  emergencyContactForLeaders: z.boolean(),
  // Agreed to be asked how they feel by text (ONS4's happiness question), when placed and 8 weeks on.
  outcomeTextConsent: z.boolean(),
};

export const NewParticipantBody = z
  .object({
    ...participantFields,
    phone: participantFields.phone.optional().transform((v) => v ?? null),
    smsConsentMethod: participantFields.smsConsentMethod.optional().transform((v) => v ?? null),
    doNotText: participantFields.doNotText.optional().transform((v) => v ?? false),
    interpreterNeeded: participantFields.interpreterNeeded.optional().transform((v) => v ?? false),
    gender: participantFields.gender.optional().transform((v) => v ?? null),
    transportArranged: participantFields.transportArranged.optional().transform((v) => v ?? false),
    emergencyContactForLeaders: participantFields.emergencyContactForLeaders.optional().transform((v) => v ?? false),
    outcomeTextConsent: participantFields.outcomeTextConsent.optional().transform((v) => v ?? false),
  })
  .refine((p) => !p.smsConsent || p.phone !== null, { path: ['smsConsent'], message: 'SMS consent needs a mobile number' });

export const ParticipantPatchBody = z
  .object(participantFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const Ms = ZonedTime.nullable();
export const ParticipantDto = z.union([
  z.object({
    id: z.number().int(),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    phone: z.string().nullable().describe('E.164, e.g. +447700900109'),
    smsConsent: z.boolean(),
    smsConsentAt: Ms,
    smsConsentMethod: z.string().nullable(),
    doNotText: z.boolean(),
    optedOutAt: Ms,
    phoneStatus: z.enum(['invalid', 'landline']).nullable().describe('What Twilio said the number cannot do'),
    preferredLanguage: z.string().nullable().describe('BCP 47 tag'),
    interpreterNeeded: z.boolean(),
    accessNeeds: z.string().nullable(),
    gender: z.string().nullable(),
    chiNumber: z.string().nullable(),
    programmeId: z.string().nullable().describe("The programme's pseudonymous ID, e.g. P1000"),
    interpreterLanguage: z.string().nullable().describe('BCP 47 tag of the interpreter needed'),
    mobility: z.string().nullable(),
    transportArranged: z.boolean(),
    firstSessionSupport: z.string().nullable().describe('e.g. "meet at the gate"'),
    emergencyContact: z.string().nullable(),
    emergencyContactForLeaders: z.boolean().describe("Given for the group's leaders to see"),
    outcomeTextConsent: z.boolean().describe("Agreed to be asked ONS4's happiness question by text"),
    createdAt: Ms,
  }),
  z.object({ id: z.number().int(), erased: z.literal(true), erasedAt: Ms }),
]);
