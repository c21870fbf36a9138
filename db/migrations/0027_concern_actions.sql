-- A concern keeps its whole record (issue 34): every note and change of state with who and when,
-- appended, never rewritten. The concern row keeps its first acknowledgement and its last close.
CREATE TABLE concern_actions (
  id INTEGER PRIMARY KEY,
  concern_id INTEGER NOT NULL REFERENCES concerns(id),
  status TEXT CHECK (status IN ('open', 'acknowledged', 'closed')),
  note TEXT,
  user_id INTEGER REFERENCES users(id),
  at INTEGER NOT NULL
);
CREATE INDEX concern_actions_concern ON concern_actions(concern_id, at);
-- What the concerns already say, as the first entries of their logs.
INSERT INTO concern_actions (concern_id, status, note, user_id, at)
  SELECT id, 'acknowledged', CASE WHEN status = 'acknowledged' THEN note END, acknowledged_by, acknowledged_at FROM concerns WHERE acknowledged_at IS NOT NULL;
INSERT INTO concern_actions (concern_id, status, note, user_id, at)
  SELECT id, 'closed', note, closed_by, closed_at FROM concerns WHERE closed_at IS NOT NULL;
