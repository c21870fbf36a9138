-- The SMS outbox and inbox. Every outbound text is a row first, with a unique key, so re-running
-- a pass never makes a second one; the dispatcher claims due rows with a lease.
-- practice_id is NULL only for an inbound text from a number no practice knows.

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER REFERENCES practices(id),
  direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  kind TEXT NOT NULL,
  dedupe_key TEXT UNIQUE,
  participant_id INTEGER REFERENCES participants(id),
  session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
  group_id INTEGER REFERENCES community_groups(id),
  to_number TEXT,
  from_number TEXT,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'skipped', 'unknown', 'received')),
  status_reason TEXT,
  due_at INTEGER NOT NULL,
  expires_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  transport TEXT,
  provider_sid TEXT UNIQUE,
  error_code TEXT,
  sent_at INTEGER,
  delivered_at INTEGER,
  created_by INTEGER REFERENCES users(id),
  read_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The claim query reads only pending rows in due order: a partial index keeps it flat as the table grows.
CREATE INDEX messages_pending_due ON messages(due_at) WHERE status = 'pending';
CREATE INDEX messages_sending_lease ON messages(lease_until) WHERE status = 'sending';
CREATE INDEX messages_participant ON messages(participant_id, created_at);
CREATE INDEX messages_session ON messages(session_id);
CREATE INDEX messages_practice_direction ON messages(practice_id, direction, created_at);
