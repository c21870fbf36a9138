import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import type { Message } from '../db/schema.js';
import { unprocessable } from '../lib/errors.js';
import { Id, IdParam, MultilineText } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { getSession } from '../sessions/sessions-service.js';
import { audit } from '../audit/audit-service.js';
import { countSegments } from './wording/gsm.js';
import { queueAdhoc } from './outbox/outbox.js';
import { adhocText } from './wording/message-context.js';
import { practiceTemplates } from './wording/practice-templates.js';
import { documented, itemsOf, ZonedTime } from '../openapi/describe.js';

const doc = documented('Texts');
const MessageStatus = z.enum(['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'skipped', 'unknown', 'received']);
export const SegmentCount = z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), units: z.number().int(), segments: z.number().int() });
const MessageDto = z.object({
  id: z.number().int(),
  direction: z.enum(['inbound', 'outbound']),
  kind: z.string(),
  participantId: z.number().int().nullable(),
  sessionId: z.number().int().nullable(),
  groupId: z.number().int().nullable(),
  to: z.string().nullable(),
  from: z.string().nullable(),
  body: z.string().nullable().describe("Blanked after the practice's retention period"),
  status: MessageStatus,
  statusReason: z.string().nullable(),
  notSent: z.boolean().describe('Recorded only: no SMS provider was configured'),
  dueAt: ZonedTime.nullable(),
  sentAt: ZonedTime.nullable(),
  deliveredAt: ZonedTime.nullable(),
  attempts: z.number().int(),
  errorCode: z.union([z.string(), z.number()]).nullable(),
  createdAt: ZonedTime.nullable(),
});

const ListQuery = z.object({
  direction: z.enum(['inbound', 'outbound']).optional(),
  status: MessageStatus.optional(),
  participantId: Id.optional(),
  sessionId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AdhocBody = z.object({ body: MultilineText(600).refine((b) => b.length > 0, 'write a message') });
export const MAX_ADHOC_SEGMENTS = 3;

export function toMessageDto(m: Message, zone: string): z.input<typeof MessageDto> {
  const iso = (ms: number | null) => (ms === null ? null : toZonedIso(ms, zone));
  return {
    id: m.id,
    direction: m.direction,
    kind: m.kind,
    participantId: m.participant_id,
    sessionId: m.session_id,
    groupId: m.group_id,
    to: m.to_number,
    from: m.from_number,
    body: m.body,
    status: m.status,
    statusReason: m.status_reason,
    notSent: m.transport === 'local',
    dueAt: iso(m.due_at),
    sentAt: iso(m.sent_at),
    deliveredAt: iso(m.delivered_at),
    attempts: m.attempts,
    errorCode: m.error_code,
    createdAt: iso(m.created_at),
  };
}

/** `/messages`: the outbox with delivery status and the inbox of replies (CLPs and admins). */
export const messageRoutes = new Hono<AppEnv>().get(
  '/',
  doc('Texts sent and replies received, newest first (audited)', { 200: itemsOf(MessageDto) }),
  canManage,
  validate('query', ListQuery),
  async (c) => {
    const q = c.req.valid('query');
    let query = c.var.db.selectFrom('messages').selectAll().where('practice_id', '=', c.var.user.practiceId);
    if (q.direction) query = query.where('direction', '=', q.direction);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.participantId) query = query.where('participant_id', '=', q.participantId);
    if (q.sessionId) query = query.where('session_id', '=', q.sessionId);
    const rows = await query.orderBy('id', 'desc').limit(q.limit).execute();
    await audit(c.var.db, c.var.user, c.var.clock.now().getTime(), {
      action: 'list',
      entity: 'message',
      participantId: q.participantId ?? null,
      detail: `${rows.length} messages`,
      shown: rows.map((m) => m.participant_id),
    });
    return c.json({ items: rows.map((m) => toMessageDto(m, c.var.user.timezone)) });
  },
);

/** `POST /sessions/:id/messages`: an ad-hoc text to everyone enrolled in the session's group. */
export const sessionMessageRoutes = new Hono<AppEnv>().post(
  '/:id/messages',
  doc("Text everyone enrolled in the session's group", {
    201: z.object({ queued: z.number().int(), skipped: z.number().int(), body: z.string(), segments: SegmentCount }),
  }),
  canManage,
  validate('param', IdParam),
  validate('json', AdhocBody),
  async (c) => {
    const { db, clock, user, templates } = c.var;
    const session = await getSession(db, user.practiceId, c.req.valid('param').id);
    const practice = await db.selectFrom('practices').select('name').where('id', '=', user.practiceId).executeTakeFirstOrThrow();
    const text = adhocText(await practiceTemplates(db, templates, user.practiceId), c.req.valid('json').body, practice.name).body;
    const segments = countSegments(text);
    if (segments.segments > MAX_ADHOC_SEGMENTS)
      throw unprocessable(`This text would cost ${segments.segments} SMS (${segments.encoding}); keep it to ${MAX_ADHOC_SEGMENTS}`, segments);
    const now = clock.now().getTime();
    const result = await queueAdhoc(db, templates, session.id, c.req.valid('json').body, `${session.id}:${now}:${crypto.randomUUID()}`, now, user.id);
    return c.json({ ...result, body: text, segments }, 201);
  },
);
