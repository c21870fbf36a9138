import { sql } from 'kysely';
import type { AttendanceStatus, Db, DbOrTx, Session } from '../db/schema.js';
import { audit, type Actor, type ReadFolding } from '../audit/audit-service.js';
import { getSession } from '../sessions/sessions-service.js';
import { compiledOnce } from '../db/compiled-once.js';

/**
 * What a register shows, as one version: its marks (register_versions, kept by triggers), the
 * practice's sessions, enrolments and users (data_version) and its people (plan_version), both read
 * with the caller's sign-in. Null when the sign-in did not read them (just signed in).
 */
export async function registerVersion(
  db: Db,
  session: Pick<Session, 'id' | 'group_id' | 'starts_at'>,
  user: { dataVersion: number; planVersion?: number },
): Promise<string | null> {
  if (user.dataVersion < 0 || user.planVersion === undefined) return null;
  // The group's earlier registers count too: whether someone comes for the first time depends on them.
  const [marks] = await marksVersion(db, session.group_id, session.starts_at);
  return `${session.id}.${user.dataVersion}.${user.planVersion}.${marks?.version ?? 0}`;
}

const marksVersion = compiledOnce((db: DbOrTx, groupId: number, startsAt: number) =>
  db
    .selectFrom('register_versions as v')
    .innerJoin('sessions as s', 's.id', 'v.session_id')
    .select(sql<number | null>`sum(v.version)`.as('version'))
    .where('s.group_id', '=', groupId)
    .where('s.starts_at', '<=', startsAt),
);

export interface RegisterReadOptions {
  /** The session, when the caller has it already. */
  session?: Session;
  /** The register's version: the same user reading it again unchanged soon is folded into the first read. */
  version?: string | null;
  folds?: ReadFolding;
  /** Others the page shows with the register (the group's recent drop-ins, kept for a search with no signal). */
  alsoShown?: readonly number[];
}

/** How far back a group's drop-ins are kept with its register: a season of a weekly walk. */
const RECENT_DROP_IN_DAYS = 84;

/**
 * People who came to this group as drop-ins in the weeks before this session and are not on its
 * register: kept with the register page so a CLP at a park gate with no signal can still find a
 * regular drop-in by name, instead of adding them as a new person (a second record). A leader may
 * name them too: they have been in this group.
 */
export async function recentDropIns(db: Db, practiceId: number, session: Pick<Session, 'id' | 'group_id' | 'starts_at'>) {
  return db
    .selectFrom('participants as p')
    .select(['p.id', 'p.given_name', 'p.family_name'])
    .where('p.practice_id', '=', practiceId)
    .where('p.erased_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('attendance as a')
          .innerJoin('sessions as s', 's.id', 'a.session_id')
          .select('a.participant_id')
          .whereRef('a.participant_id', '=', 'p.id')
          .where('a.drop_in', '=', 1)
          .where('s.group_id', '=', session.group_id)
          .where('s.starts_at', '<', session.starts_at)
          .where('s.starts_at', '>=', session.starts_at - RECENT_DROP_IN_DAYS * 86_400_000),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('attendance as t').select('t.participant_id').whereRef('t.participant_id', '=', 'p.id').where('t.session_id', '=', session.id)),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('enrolments as e')
            .select('e.participant_id')
            .whereRef('e.participant_id', '=', 'p.id')
            .where('e.group_id', '=', session.group_id)
            .where('e.status', '=', 'active'),
        ),
      ),
    )
    .orderBy('p.given_name')
    .orderBy('p.family_name')
    .limit(40)
    .execute();
}

/** The enrolled list for a session (plus drop-ins already on it), each with any status recorded. */
export async function getRegister(db: Db, actor: Actor, now: number, sessionId: number, opts: RegisterReadOptions = {}) {
  const session = opts.session ?? (await getSession(db, actor.practiceId, sessionId));
  const rows = await sql<{
    participant_id: number;
    given_name: string | null;
    family_name: string | null;
    erased_at: number | null;
    enrolment_status: string | null;
    status: AttendanceStatus | null;
    drop_in: number | null;
    recorded_at: number | null;
    recorded_by: number | null;
    recorded_by_name: string | null;
    interpreter_language: string | null;
    mobility: string | null;
    transport_arranged: number;
    first_session_support: string | null;
    emergency_contact: string | null;
    first_time: number;
  }>`
    SELECT p.id AS participant_id, p.given_name, p.family_name, p.erased_at, e.status AS enrolment_status,
           a.status, a.drop_in, a.recorded_at, a.recorded_by, u.name AS recorded_by_name,
           -- What a leader needs at a glance: an interpreter (the structured need, or the older flag
           -- with the person's language), mobility, transport, first-session support.
           coalesce(p.interpreter_language, CASE WHEN p.interpreter_needed = 1 THEN p.preferred_language END) AS interpreter_language,
           p.mobility, p.transport_arranged, p.first_session_support,
           CASE WHEN p.emergency_contact_for_leaders = 1 THEN p.emergency_contact END AS emergency_contact,
           NOT EXISTS (SELECT 1 FROM attendance b JOIN sessions bs ON bs.id = b.session_id
                       WHERE b.participant_id = p.id AND bs.group_id = ${session.group_id} AND bs.starts_at < ${session.starts_at}
                         AND b.status IN ('present', 'late')) AS first_time
    -- Driven from the group's places and the session's marks, not every person of the practice
    -- (620 µs against 240 µs for a practice of 600).
    FROM (SELECT participant_id FROM enrolments WHERE group_id = ${session.group_id} AND status = 'active'
          UNION SELECT participant_id FROM attendance WHERE session_id = ${session.id}) who
    JOIN participants p ON p.id = who.participant_id AND p.practice_id = ${actor.practiceId}
    LEFT JOIN enrolments e ON e.participant_id = p.id AND e.group_id = ${session.group_id}
    LEFT JOIN attendance a ON a.participant_id = p.id AND a.session_id = ${session.id}
    LEFT JOIN users u ON u.id = a.recorded_by
    ORDER BY coalesce(a.drop_in, 0), lower(coalesce(p.given_name, '')), lower(coalesce(p.family_name, '')), p.id`.execute(db);
  await audit(
    db,
    actor,
    now,
    {
      action: 'register_read',
      entity: 'session',
      entityId: session.id,
      shown: [...rows.rows.map((r) => r.participant_id), ...(opts.alsoShown ?? [])],
      version: opts.version ?? undefined,
    },
    opts.folds,
  );
  return { session, entries: rows.rows };
}
