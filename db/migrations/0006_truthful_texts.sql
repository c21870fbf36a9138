-- Texts are derived from the truth at the moment they are sent (issue 10).
-- about_sequence: the session SEQUENCE a text was made for; a later change to the session makes it stale.
-- send_started_at: set just before the request to Twilio leaves, so a crash tells "may have gone"
-- (unknown, reconciled against Twilio's log) from "never tried" (back to pending).
ALTER TABLE messages ADD COLUMN about_sequence INTEGER;
ALTER TABLE messages ADD COLUMN send_started_at INTEGER;
CREATE INDEX messages_unknown ON messages(send_started_at) WHERE status = 'unknown';

-- Reminders planned by the previous version named no sequence: give them the session's current one,
-- so the new planner sees them as the same reminder and never plans a second.
UPDATE messages
SET about_sequence = (SELECT sequence FROM sessions s WHERE s.id = messages.session_id),
    dedupe_key = dedupe_key || ':' || (SELECT sequence FROM sessions s WHERE s.id = messages.session_id)
WHERE kind = 'reminder' AND session_id IS NOT NULL AND dedupe_key IS NOT NULL;

-- What Twilio told us about a number: 'invalid' (21211) or 'landline' (21614). Cleared when the number changes.
ALTER TABLE participants ADD COLUMN phone_status TEXT CHECK (phone_status IN ('invalid', 'landline'));
ALTER TABLE participants ADD COLUMN phone_status_at INTEGER;

-- A practice's own sender; inbound texts are routed by the number they were sent to.
ALTER TABLE practices ADD COLUMN sms_from TEXT;
ALTER TABLE practices ADD COLUMN messaging_service_sid TEXT;

-- A delivery report that arrived before the send call returned the SID: applied when it does.
CREATE TABLE early_status_callbacks (
  provider_sid TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  error_code TEXT,
  received_at INTEGER NOT NULL
);

-- Idempotency-Key (IETF draft): the first answer to a key, replayed for a retry with the same body.
CREATE TABLE idempotency_keys (
  user_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'done')),
  status_code INTEGER,
  content_type TEXT,
  response_body TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
