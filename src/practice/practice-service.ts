import type { Db } from '../db/schema.js';
import { conflict } from '../lib/errors.js';
import { assertCodeFree } from '../users/users-service.js';

/** The caller's own practice: name, monitoring code, zone and its own SMS sender, if any. */
export async function getPractice(db: Db, id: number) {
  const p = await db
    .selectFrom('practices')
    .select([
      'id',
      'name',
      'code',
      'timezone',
      'sms_from',
      'messaging_service_sid',
      'sms_monthly_budget',
      'retention_text_months',
      'retention_inactive_months',
      'retention_audit_months',
      'attendance_threshold',
      'outcome_texts',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: p.id,
    name: p.name,
    code: p.code,
    timezone: p.timezone,
    smsFrom: p.sms_from,
    messagingServiceSid: p.messaging_service_sid,
    smsMonthlyBudget: p.sms_monthly_budget,
    retentionTextMonths: p.retention_text_months,
    retentionInactiveMonths: p.retention_inactive_months,
    retentionAuditMonths: p.retention_audit_months,
    attendanceThreshold: p.attendance_threshold,
    outcomeTexts: p.outcome_texts === 1,
  };
}

export interface PracticeChanges {
  name?: string;
  code?: string | null;
  smsFrom?: string | null;
  messagingServiceSid?: string | null;
  smsMonthlyBudget?: number | null;
  retentionTextMonths?: number;
  retentionInactiveMonths?: number;
  retentionAuditMonths?: number;
  attendanceThreshold?: number;
  outcomeTexts?: boolean;
}

export async function updatePractice(db: Db, id: number, input: PracticeChanges) {
  if (input.code) await assertCodeFree(db, input.code, id);
  if (input.smsFrom) {
    // Replies are routed by the number they were sent to: two practices cannot share one.
    const other = await db.selectFrom('practices').select('id').where('sms_from', '=', input.smsFrom).where('id', '!=', id).executeTakeFirst();
    if (other) throw conflict('Another practice already texts from that number');
  }
  await db
    .updateTable('practices')
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.code !== undefined && { code: input.code }),
      ...(input.smsFrom !== undefined && { sms_from: input.smsFrom }),
      ...(input.messagingServiceSid !== undefined && { messaging_service_sid: input.messagingServiceSid }),
      ...(input.smsMonthlyBudget !== undefined && { sms_monthly_budget: input.smsMonthlyBudget }),
      ...(input.retentionTextMonths !== undefined && { retention_text_months: input.retentionTextMonths }),
      ...(input.retentionInactiveMonths !== undefined && { retention_inactive_months: input.retentionInactiveMonths }),
      ...(input.retentionAuditMonths !== undefined && { retention_audit_months: input.retentionAuditMonths }),
      ...(input.attendanceThreshold !== undefined && { attendance_threshold: input.attendanceThreshold }),
      ...(input.outcomeTexts !== undefined && { outcome_texts: input.outcomeTexts ? 1 : 0 }),
    })
    .where('id', '=', id)
    .execute();
  return getPractice(db, id);
}
