-- Participants, enrolment with waitlists, attendance registers, and the audit trail.
-- Minimal data: no diagnosis fields. Erasure blanks identifying columns and keeps the row,
-- so attendance counts in reports stay true.

ALTER TABLE practices ADD COLUMN code TEXT;

CREATE TABLE participants (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  given_name TEXT,
  family_name TEXT,
  phone TEXT,
  sms_consent INTEGER NOT NULL DEFAULT 0,
  sms_consent_at INTEGER,
  sms_consent_method TEXT,
  do_not_text INTEGER NOT NULL DEFAULT 0,
  opted_out_at INTEGER,
  preferred_language TEXT,
  interpreter_needed INTEGER NOT NULL DEFAULT 0,
  access_needs TEXT,
  gender TEXT,
  erased_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX participants_practice ON participants(practice_id, family_name, given_name);
CREATE INDEX participants_phone ON participants(phone);

-- waitlist_seq orders the waitlist; promoted_at marks a waitlist place given, for the SMS offer.
CREATE TABLE enrolments (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  group_id INTEGER NOT NULL REFERENCES community_groups(id),
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  status TEXT NOT NULL CHECK (status IN ('active', 'waitlisted', 'withdrawn')),
  referral_source TEXT,
  referral_reason TEXT,
  waitlist_seq INTEGER,
  requested_at INTEGER NOT NULL,
  enrolled_at INTEGER,
  promoted_at INTEGER,
  withdrawn_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (group_id, participant_id)
);
CREATE INDEX enrolments_group_status ON enrolments(group_id, status, waitlist_seq);
CREATE INDEX enrolments_participant ON enrolments(participant_id);

CREATE TABLE attendance (
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  status TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent', 'apologies')),
  drop_in INTEGER NOT NULL DEFAULT 0,
  recorded_by INTEGER REFERENCES users(id),
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, participant_id)
);
CREATE INDEX attendance_participant ON attendance(participant_id, session_id);

ALTER TABLE sessions ADD COLUMN headcount INTEGER;
ALTER TABLE sessions ADD COLUMN register_taken_at INTEGER;
ALTER TABLE sessions ADD COLUMN register_taken_by INTEGER REFERENCES users(id);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  user_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER,
  participant_id INTEGER,
  detail TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX audit_events_practice_at ON audit_events(practice_id, at);
CREATE INDEX audit_events_participant ON audit_events(participant_id);
