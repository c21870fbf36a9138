import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { Text } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { getPractice, updatePractice } from './practice-service.js';
import { documented } from '../openapi/describe.js';

const doc = documented('Practices');
const PracticeDto = z.object({
  id: z.number().int(),
  name: z.string(),
  code: z.string().nullable(),
  timezone: z.string(),
  smsFrom: z.string().nullable(),
  messagingServiceSid: z.string().nullable(),
  smsMonthlyBudget: z.number().int().nullable(),
  retentionTextMonths: z.number().int(),
  retentionInactiveMonths: z.number().int(),
  retentionAuditMonths: z.number().int().describe('Audit events older than this move to the audit archive, where one is connected'),
  attendanceThreshold: z.number(),
  outcomeTexts: z.boolean().describe("People who agreed are asked ONS4's happiness question by text when placed and 8 weeks on"),
});

/** The practice's settings, one rule each: the API and the settings pages parse with the same ones. */
export const PracticeSettings = {
  // SMS segments a calendar month; past 80% the admin is warned, past all of it reminders pause.
  smsMonthlyBudget: z.number().int().min(1).max(10_000_000),
  // Keeping only what is needed: texts' words blanked after this many months; people inactive this long listed for erasure.
  retentionTextMonths: z.number().int().min(1).max(120),
  retentionInactiveMonths: z.number().int().min(6).max(240),
  // Audit events older than this move to the archive (R2 or AUDIT_ARCHIVE_DIR), still found for a subject-access request.
  retentionAuditMonths: z.number().int().min(6).max(240),
  // Groups below this attendance rate are flagged in the impact report.
  attendanceThreshold: z.number().min(0).max(1),
};

/** The practice code funders' returns ask for, as typed (empty clears it). */
export const PracticeCodeText = z
  .string()
  .trim()
  .max(20)
  .regex(/^[A-Za-z0-9-]*$/, 'letters, digits and dashes only');

const PracticeBody = z
  .object({
    name: Text(200).optional(),
    // The practice code funders' Links Worker Programme returns ask for.
    code: PracticeCodeText.nullish().transform((v) => (v ? v : v === undefined ? undefined : null)),
    // This practice's own two-way Twilio number or messaging service, instead of the server's default.
    smsFrom: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{7,14}$/, 'a number in international form, like +447700900123')
      .nullish(),
    messagingServiceSid: z
      .string()
      .trim()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'a Twilio messaging service SID (MG followed by 32 hex digits)')
      .nullish(),
    smsMonthlyBudget: PracticeSettings.smsMonthlyBudget.nullish(),
    retentionTextMonths: PracticeSettings.retentionTextMonths.optional(),
    retentionInactiveMonths: PracticeSettings.retentionInactiveMonths.optional(),
    retentionAuditMonths: PracticeSettings.retentionAuditMonths.optional(),
    attendanceThreshold: PracticeSettings.attendanceThreshold.optional(),
    // Ask people who agreed how happy they felt yesterday, by text, when placed and 8 weeks on.
    outcomeTexts: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');

/** `/practice`: the caller's own practice (name, code, zone); admins change name and code. */
export const practiceRoutes = new Hono<AppEnv>()
  .get('/', doc('The practice this session acts in, and its settings', { 200: PracticeDto }), async (c) =>
    c.json(await getPractice(c.var.db, c.var.user.practiceId)),
  )
  .patch('/', doc('Change settings (admins)', { 200: PracticeDto }), adminOnly, validate('json', PracticeBody), async (c) =>
    c.json(await updatePractice(c.var.db, c.var.user.practiceId, c.req.valid('json'))),
  );
