-- Calendar feeds practice staff subscribe to. The token is shown once and stored only as a hash.

CREATE TABLE calendar_feeds (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  scope TEXT NOT NULL CHECK (scope IN ('practice', 'group', 'facilitator')),
  group_id INTEGER REFERENCES community_groups(id),
  user_id INTEGER REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_accessed_at INTEGER
);
CREATE INDEX calendar_feeds_practice ON calendar_feeds(practice_id);
