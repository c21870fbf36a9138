import type { Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

/** Row types of every table, in one place, so services share one view of the schema. */
export interface PracticeTable {
  id: Generated<number>;
  name: string;
  timezone: Generated<string>;
  created_at: number;
}

export type Role = 'admin' | 'clp' | 'staff';

export interface UserTable {
  id: Generated<number>;
  practice_id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AuthTokenTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}

export interface LoginThrottleTable {
  email: string;
  failures: number;
  window_started_at: number;
  locked_until: number | null;
}

export interface ClosureTable {
  id: Generated<number>;
  practice_id: number;
  date: string;
  reason: string | null;
  created_at: number;
}

export interface VenueTable {
  id: Generated<number>;
  practice_id: number;
  name: string;
  address: string | null;
  meeting_point: string | null;
  accessibility: string | null;
  created_at: number;
  updated_at: number;
}

export const GROUP_KINDS = ['allotment', 'health_walk', 'mindfulness', 'chair_yoga', 'peer_support', 'book_club', 'other'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
export type GroupStatus = 'active' | 'paused' | 'archived';
export type Frequency = 'weekly' | 'fortnightly' | 'monthly';

export interface GroupTable {
  id: Generated<number>;
  practice_id: number;
  name: string;
  kind: GroupKind;
  description: string | null;
  venue_id: number;
  capacity: number | null;
  sms_label: string | null;
  reminder_offsets: string;
  status: GroupStatus;
  frequency: Frequency;
  weekdays: string;
  week_of_month: number | null;
  start_time: string;
  duration_minutes: number;
  start_date: string;
  until_date: string | null;
  occurrence_count: number | null;
  materialised_until: string | null;
  created_at: number;
  updated_at: number;
}

export interface GroupFacilitatorTable {
  group_id: number;
  user_id: number;
}

export type SessionStatus = 'scheduled' | 'cancelled';

export interface SessionTable {
  id: Generated<number>;
  practice_id: number;
  group_id: number;
  occurrence_date: string | null;
  starts_at: number;
  ends_at: number;
  venue_id: number;
  status: SessionStatus;
  cancel_reason: string | null;
  edited: number;
  sequence: number;
  created_at: number;
  updated_at: number;
}

export interface DB {
  practices: PracticeTable;
  users: UserTable;
  auth_tokens: AuthTokenTable;
  login_throttle: LoginThrottleTable;
  closures: ClosureTable;
  venues: VenueTable;
  community_groups: GroupTable;
  group_facilitators: GroupFacilitatorTable;
  sessions: SessionTable;
}

export type Db = Kysely<DB>;
/** A handle that is either the database or a transaction on it. */
export type DbOrTx = Kysely<DB> | Transaction<DB>;
export type User = Selectable<UserTable>;
export type Practice = Selectable<PracticeTable>;
export type Venue = Selectable<VenueTable>;
export type Group = Selectable<GroupTable>;
export type Session = Selectable<SessionTable>;
export type NewSession = Insertable<SessionTable>;
