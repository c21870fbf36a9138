import type { Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

/** Row types of every table, in one place, so services share one view of the schema. */
export interface PracticeTable {
  id: Generated<number>;
  name: string;
  timezone: Generated<string>;
  /** The practice code funders' monitoring returns ask for. */
  code: string | null;
  /** This practice's own two-way number; inbound texts to it are routed here. Null: the environment's. */
  sms_from: Generated<string | null>;
  messaging_service_sid: Generated<string | null>;
  /** SMS segments the practice means to spend in a calendar month; past it, reminders pause. */
  sms_monthly_budget: Generated<number | null>;
  /** Texts' words are blanked this many months after they were sent (status kept). */
  retention_text_months: Generated<number>;
  /** People with no activity for this many months are listed for an admin to erase. */
  retention_inactive_months: Generated<number>;
  retention_audit_months: Generated<number>;
  /** Groups below this attendance rate are flagged in the impact report. */
  attendance_threshold: Generated<number>;
  /** Bumped by triggers on every change a feed or cached answer shows (0003). */
  data_version: Generated<number>;
  /** Bumped by triggers on every change a reminder's planning depends on (0014). */
  plan_version: Generated<number>;
  /** Bumped by triggers on every change the impact report reads: kept figures of another version are not used (0033). */
  figures_version: Generated<number>;
  /** 1: people who agreed are asked ONS4's happiness question by text when placed and 8 weeks on (0029). */
  outcome_texts: Generated<number>;
  created_at: number;
}

export const ROLES = ['admin', 'clp', 'staff', 'leader'] as const;
/** A membership's role: admin, CLP, staff (groups and calendars only) or leader (a volunteer who leads particular groups). */
export type Role = (typeof ROLES)[number];

export interface UserTable {
  id: Generated<number>;
  practice_id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled_at: number | null;
  /** 'programme_admin' creates practices and reads programme-wide, pseudonymous reports. */
  programme_role: Generated<'programme_admin' | null>;
  /** The NHS account (OpenID Connect issuer and subject) this account is linked to, once it has signed in with it (0028). */
  oidc_issuer: Generated<string | null>;
  oidc_subject: Generated<string | null>;
  /** 1: signs in by NHS account only; the password no longer works. */
  nhs_only: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** A user's place in a practice: the role there, and whether it is still open. */
export interface MembershipTable {
  user_id: number;
  practice_id: number;
  role: Role;
  disabled_at: number | null;
  created_at: number;
}

export interface PasswordResetTable {
  token_hash: string;
  user_id: number;
  created_by: number | null;
  expires_at: number;
  used_at: number | null;
}

export interface AuthTokenTable {
  token_hash: string;
  user_id: number;
  /** The practice this session acts in (PUT /auth/practice switches it). */
  practice_id: number | null;
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
  /** No longer offered for groups and sessions; past sessions still name it. */
  archived_at: Generated<number | null>;
  /** When its risk assessment was last reviewed (YYYY-MM-DD), and how often it must be (0021). */
  risk_assessed_on: Generated<string | null>;
  risk_review_months: Generated<number | null>;
  /** A UK postcode, "G22 5EJ" (0026): directories need it. */
  postcode: Generated<string | null>;
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
  /** JSON { tag: label }: the discreet name in other languages (sms_label is the English one). */
  sms_labels: Generated<string | null>;
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
  /** At most this many people expected per leader (facilitator), e.g. 20 for a walk (0021). */
  participants_per_leader: Generated<number | null>;
  /** A session needs a leader with first aid valid on its day. */
  requires_first_aid: Generated<number>;
  /** Listed on /whats-on, in Open Referral UK and ready for ALISS (0026); off by default. */
  public: Generated<number>;
  public_name: Generated<string | null>;
  public_summary: Generated<string | null>;
  /** JSON { phone?, email?, url? }. */
  public_contact: Generated<string | null>;
  /** The service's id in directories: made once, when first published, and kept. */
  public_uuid: Generated<string | null>;
  /** When what a directory shows (schedule, venue, status, public fields) last changed, and when ALISS was last re-confirmed. */
  listing_changed_at: Generated<number | null>;
  aliss_confirmed_at: Generated<number | null>;
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
  /** The calendar UID's local part: never reused, unlike ids. */
  uid: string;
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
  headcount: Generated<number | null>;
  register_taken_at: Generated<number | null>;
  register_taken_by: Generated<number | null>;
  created_at: number;
  updated_at: number;
}

export type PhoneStatus = 'invalid' | 'landline';

export interface ParticipantTable {
  id: Generated<number>;
  practice_id: number;
  given_name: string | null;
  family_name: string | null;
  phone: string | null;
  sms_consent: number;
  sms_consent_at: number | null;
  sms_consent_method: string | null;
  do_not_text: number;
  opted_out_at: number | null;
  preferred_language: string | null;
  interpreter_needed: number;
  access_needs: string | null;
  gender: string | null;
  /** What Twilio told us the number cannot do: 'invalid' (21211) or 'landline' (21614). */
  phone_status: Generated<PhoneStatus | null>;
  phone_status_at: Generated<number | null>;
  /** Scotland's Community Health Index number, to match the practice's appointment export. */
  chi_number: Generated<string | null>;
  /** The programme's pseudonymous ID ("P1000"), unique in the practice, carried by the monitoring return. */
  programme_id: Generated<string | null>;
  /** Access needs a leader reads at a glance on the register (0020). */
  interpreter_language: Generated<string | null>;
  mobility: Generated<string | null>;
  transport_arranged: Generated<number>;
  first_session_support: Generated<string | null>;
  emergency_contact: Generated<string | null>;
  emergency_contact_for_leaders: Generated<number>;
  /** 1: agreed to be asked how they feel by text (0029). */
  outcome_text_consent: Generated<number>;
  erased_at: number | null;
  created_at: number;
  updated_at: number;
}

export type EnrolmentStatus = 'active' | 'waitlisted' | 'withdrawn';

export interface EnrolmentTable {
  id: Generated<number>;
  practice_id: number;
  group_id: number;
  participant_id: number;
  status: EnrolmentStatus;
  referral_source: string | null;
  referral_reason: string | null;
  waitlist_seq: number | null;
  requested_at: number;
  enrolled_at: number | null;
  promoted_at: number | null;
  withdrawn_at: number | null;
  created_at: number;
  updated_at: number;
}

export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'apologies'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export interface AttendanceTable {
  session_id: number;
  participant_id: number;
  practice_id: number;
  status: AttendanceStatus;
  drop_in: number;
  recorded_by: number | null;
  recorded_at: number;
}

export interface AuditEventTable {
  id: Generated<number>;
  practice_id: number;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  participant_id: number | null;
  detail: string | null;
  at: number;
  /** Everyone the read showed, as a set written once (0018). */
  shown_set_id: Generated<number | null>;
}

export type FeedScope = 'practice' | 'group' | 'facilitator';

export interface CalendarFeedTable {
  id: Generated<number>;
  practice_id: number;
  scope: FeedScope;
  group_id: number | null;
  user_id: number | null;
  name: string;
  token_hash: string;
  created_by: number | null;
  created_at: number;
  revoked_at: number | null;
  last_accessed_at: number | null;
}

export type MessageStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'skipped' | 'unknown' | 'received';
export type MessageKind =
  'reminder' | 'cancellation' | 'moved' | 'back_on' | 'waitlist_offer' | 'welcome' | 'apologies_confirmed' | 'adhoc' | 'help' | 'inbound' | 'outcome_question';

export interface MessageTable {
  id: Generated<number>;
  practice_id: number | null;
  direction: 'outbound' | 'inbound';
  kind: MessageKind;
  dedupe_key: string | null;
  participant_id: number | null;
  session_id: number | null;
  group_id: number | null;
  to_number: string | null;
  from_number: string | null;
  body: string;
  status: MessageStatus;
  status_reason: string | null;
  due_at: number;
  expires_at: number | null;
  attempts: Generated<number>;
  lease_until: number | null;
  transport: string | null;
  provider_sid: string | null;
  error_code: string | null;
  sent_at: number | null;
  delivered_at: number | null;
  created_by: number | null;
  read_at: number | null;
  /** The session SEQUENCE this text was made for: a later change to the session makes it stale. */
  about_sequence: Generated<number | null>;
  /** Set just before the request to Twilio leaves: after a crash, only these may have gone. */
  send_started_at: Generated<number | null>;
  /** A restore whose look-up in Twilio's log this text still waits for (its due time moves as it backs off). */
  restore_check: Generated<number | null>;
  /** The language the text was written in (a BCP 47 primary tag). */
  language: Generated<string | null>;
  /** 1 when the person prefers a language this text has no wording in, so it went in English. */
  fell_back_to_english: Generated<number>;
  /** What Twilio bills for it, counted when it was sent. */
  segments: Generated<number | null>;
  body_blanked_at: Generated<number | null>;
  created_at: number;
  updated_at: number;
}

export interface EarlyStatusCallbackTable {
  provider_sid: string;
  status: string;
  error_code: string | null;
  received_at: number;
}

export interface IdempotencyKeyTable {
  user_id: number;
  key: string;
  fingerprint: string;
  state: 'running' | 'done';
  status_code: number | null;
  content_type: string | null;
  response_body: string | null;
  created_at: number;
}

export interface AuditEventParticipantTable {
  event_id: number;
  participant_id: number;
}

export interface LoginAttemptTable {
  /** 'a:<address>' or 'e:<email>|<address>' */
  scope: string;
  failures: number;
  window_started_at: number;
  blocked_until: number | null;
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
  participants: ParticipantTable;
  enrolments: EnrolmentTable;
  attendance: AttendanceTable;
  audit_events: AuditEventTable;
  calendar_feeds: CalendarFeedTable;
  messages: MessageTable;
  early_status_callbacks: EarlyStatusCallbackTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_event_participants: AuditEventParticipantTable;
  login_attempts: LoginAttemptTable;
  memberships: MembershipTable;
  sms_templates: SmsTemplateTable;
  outcomes: OutcomeTable;
  follow_up_people: FollowUpPersonTable;
  gp_appointments: GpAppointmentTable;
  session_marks: SessionMarksTable;
  participation: ParticipationTable;
  reminder_plans: ReminderPlanTable;
  password_resets: PasswordResetTable;
  setup_done: SetupDoneTable;
  backup_taken: BackupTakenTable;
  backup_runs: BackupRunTable;
  restores: RestoreTable;
  restore_acknowledgements: RestoreAcknowledgementTable;
  last_pass: LastPassTable;
  trusted_devices: TrustedDeviceTable;
  audit_shown_sets: AuditShownSetTable;
  audit_shown_members: AuditShownMemberTable;
  audit_archives: AuditArchiveTable;
  audit_archive_people: AuditArchivePersonTable;
  register_versions: RegisterVersionTable;
  follow_up_actions: FollowUpActionTable;
  credentials: CredentialTable;
  concerns: ConcernTable;
  concern_actions: ConcernActionTable;
  referrals: ReferralTable;
  oidc_sign_ins: OidcSignInTable;
  referral_steps: ReferralStepTable;
  kept_figures: KeptFiguresTable;
  kept_periods: KeptPeriodTable;
}

/** A sign-in sent to the NHS account provider and not yet back: used once, then gone (0028). */
export interface OidcSignInTable {
  state_hash: string;
  nonce: string;
  verifier: string;
  next: string;
  created_at: number;
}

export type ReferralStatus = 'received' | 'accepted' | 'declined' | 'contacted' | 'attended' | 'closed';
/** A referral into the groups (0025): who, why, with what consent, and where it stands. */
export interface ReferralTable {
  id: Generated<number>;
  practice_id: number;
  participant_id: number;
  status: Generated<ReferralStatus>;
  reason: string | null;
  /** JSON array of free words: loneliness, physical activity… */
  needs: string | null;
  suggested_group_id: number | null;
  group_id: number | null;
  consent_to_be_referred: number;
  share_with_referrer: number;
  referrer_name: string | null;
  referrer_organisation: string | null;
  referred_by: number | null;
  received_at: number;
  updated_at: number;
}
/** Each step a referral took, with who took it (null: by itself, or a former user) and when. */
export interface ReferralStepTable {
  id: Generated<number>;
  referral_id: number;
  status: ReferralStatus;
  reason: string | null;
  user_id: number | null;
  at: number;
}

export type CredentialKind = 'first_aid' | 'walk_leader' | 'pvg' | 'other';
export interface CredentialTable {
  id: Generated<number>;
  practice_id: number;
  user_id: number;
  kind: CredentialKind;
  label: string | null;
  reference: string | null;
  valid_from: string;
  expires_on: string | null;
  created_by: number | null;
  created_at: number;
}

export type ConcernKind = 'wellbeing' | 'safeguarding' | 'incident' | 'accident';
export type ConcernStatus = 'open' | 'acknowledged' | 'closed';
export interface ConcernTable {
  id: Generated<number>;
  practice_id: number;
  participant_id: number | null;
  session_id: number | null;
  kind: ConcernKind;
  urgency: 'today' | 'this_week';
  text: string;
  status: Generated<ConcernStatus>;
  raised_by: number | null;
  raised_at: number;
  acknowledged_by: Generated<number | null>;
  acknowledged_at: Generated<number | null>;
  closed_by: Generated<number | null>;
  closed_at: Generated<number | null>;
  note: Generated<string | null>;
}

/** A concern's log (0027): a note, a change of state, or both, with who and when; only ever appended. */
export interface ConcernActionTable {
  id: Generated<number>;
  concern_id: number;
  status: ConcernStatus | null;
  note: string | null;
  user_id: number | null;
  at: number;
}

export type FollowUpAction = 'phoned' | 'texted' | 'met' | 'closed';
export interface FollowUpActionTable {
  id: Generated<number>;
  practice_id: number;
  participant_id: number;
  group_id: number;
  action: FollowUpAction;
  reason: string | null;
  note: string | null;
  user_id: number | null;
  at: number;
}

/** Who a read showed, written once however many reads showed the same people (0018). */
export interface AuditShownSetTable {
  id: Generated<number>;
  key: string;
}
export interface AuditShownMemberTable {
  set_id: number;
  participant_id: number;
}
/** One archived object of a practice's old audit events (its key in the archive store). */
export interface AuditArchiveTable {
  id: Generated<number>;
  practice_id: number;
  key: string;
  first_id: number;
  last_id: number;
  first_at: number;
  last_at: number;
  events: number;
  bytes: number;
  archived_at: number;
}
export interface AuditArchivePersonTable {
  participant_id: number;
  archive_id: number;
}
/** Bumped by triggers on every change to a session's marks. */
export interface RegisterVersionTable {
  session_id: number;
  version: number;
}

/** A browser that signed in to this account before (its cookie's token, hashed). */
export interface TrustedDeviceTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  last_used_at: number;
}

/** One row once the first practice and programme admin exist: its key can only be 1 (0016). */
export interface SetupDoneTable {
  id: number;
  done_at: number;
}

/** In a backup copy only: when the snapshot was taken. */
export interface BackupTakenTable {
  taken_at: number;
}

export interface BackupRunTable {
  id: Generated<number>;
  started_at: number;
  file: string | null;
  ok: number;
  error: string | null;
}

/** A restore from a backup: texts that may have gone before it are checked with Twilio until it is settled. */
export interface RestoreTable {
  id: Generated<number>;
  restored_at: number;
  backup_taken_at: number;
  source: string;
  first_pass_at: number | null;
  settled_at: number | null;
  found_sent: Generated<number>;
  sent_after_check: Generated<number>;
  held: Generated<number>;
  /** Passes in a row whose look-up in Twilio's log failed: sets the back-off; 0 once it answers. */
  lookup_failures: Generated<number>;
  lookup_failed_at: Generated<number | null>;
  lookup_error: Generated<string | null>;
}

/** One row: when this database last ran a reminder pass (a copy put back carries an older one). */
export interface LastPassTable {
  id: number;
  at: number;
}

export interface RestoreAcknowledgementTable {
  restore_id: number;
  practice_id: number;
  user_id: number;
  acknowledged_at: number;
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
export type Participant = Selectable<ParticipantTable>;
export type Enrolment = Selectable<EnrolmentTable>;
export type CalendarFeed = Selectable<CalendarFeedTable>;
export type Message = Selectable<MessageTable>;
export type Outcome = Selectable<OutcomeTable>;
export type Credential = Selectable<CredentialTable>;
export type Concern = Selectable<ConcernTable>;
export type NewMessage = Insertable<MessageTable>;
export type NewAttendance = Insertable<AttendanceTable>;

export interface SmsTemplateTable {
  practice_id: number;
  language: string;
  name: string;
  body: string;
  updated_by: number | null;
  updated_at: number;
}

export type OutcomeMeasure = 'swemwbs' | 'ons4' | 'happiness';

export interface OutcomeTable {
  id: Generated<number>;
  practice_id: number;
  participant_id: number;
  measure: OutcomeMeasure;
  /** JSON array of the item answers. */
  answers: string;
  raw_score: number | null;
  metric_score: number | null;
  /** The local date it was taken, YYYY-MM-DD. */
  taken_on: string;
  recorded_by: number | null;
  created_at: number;
  /** A form a CLP filled in, or a text answering a question (`message_id`, once). */
  source: Generated<'form' | 'sms'>;
  message_id: number | null;
}

export interface GpAppointmentTable {
  practice_id: number;
  chi_number: string;
  period_from: string;
  period_to: string;
  appointments: number;
  /** Days since 1970, generated from the dates. */
  from_day: Generated<number>;
  to_day: Generated<number>;
  imported_at: number;
  imported_by: number | null;
}

/** Kept by triggers: how many were marked each way at a session. */
export interface SessionMarksTable {
  session_id: number;
  /** Copied from the session (and kept in step by a trigger) so reports read one covering index. */
  practice_id: number | null;
  group_id: number | null;
  starts_at: number | null;
  status: SessionStatus | null;
  present: number;
  late: number;
  absent: number;
  apologies: number;
}

/** Kept by triggers: per person and group, sessions attended and the first and last of them. */
export interface ParticipationTable {
  participant_id: number;
  group_id: number;
  practice_id: number;
  attended: number;
  first_at: number;
  last_at: number;
}

/** What the reminder planner last did for a practice: the versions it saw and how far ahead it planned. */
export interface ReminderPlanTable {
  practice_id: number;
  data_version: number;
  plan_version: number;
  planned_to: number;
}

/** Who is taking someone on, and when to call them again (0030). */
export interface FollowUpPersonTable {
  practice_id: number;
  participant_id: number;
  taken_on_by: number | null;
  /** A local date, YYYY-MM-DD: off the top of the list until then. */
  call_again_on: string | null;
  updated_at: number;
}

/** A practice's part of the programme's impact report for a period that is over, as computed at `version` (0033). */
export interface KeptFiguresTable {
  practice_id: number;
  period: string;
  version: number;
  figures: string;
  /** For a period still running: the instant the figures hold for, and when the clock alone ends them (0034). */
  worked_at: number | null;
  valid_until: number | null;
}

/** When the programme last asked for a period: its figures are kept up to date for three months after (0033). */
export interface KeptPeriodTable {
  period: string;
  asked_at: number;
}
