-- A calendar UID is never given to another event (issue 11): session ids are reused after a
-- deletion (INTEGER PRIMARY KEY without AUTOINCREMENT), so each session carries its own UID.
-- Existing sessions keep the UID subscribers already have.
ALTER TABLE sessions ADD COLUMN uid TEXT;
UPDATE sessions SET uid = 'session-' || id;
CREATE UNIQUE INDEX sessions_uid ON sessions(uid);

-- Every read of patient data is tied to each person it showed, so a person's audit trail is whole.
CREATE TABLE audit_event_participants (
  event_id INTEGER NOT NULL REFERENCES audit_events(id) ON DELETE CASCADE,
  participant_id INTEGER NOT NULL,
  PRIMARY KEY (participant_id, event_id)
) WITHOUT ROWID;

-- Sign-in throttling per (account, address) and per address: counted atomically, bounded, never a lock-out by strangers.
CREATE TABLE login_attempts (
  scope TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_started_at INTEGER NOT NULL,
  blocked_until INTEGER
);
CREATE INDEX login_attempts_window ON login_attempts(window_started_at);
