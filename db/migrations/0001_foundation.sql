-- Times are UTC instants in epoch milliseconds; local dates (YYYY-MM-DD) are in the practice's zone.
-- Each statement ends with ";" at the end of a line: the Node migrator splits on that.

CREATE TABLE practices (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL DEFAULT 'Europe/London',
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  email TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'clp', 'staff')),
  password_hash TEXT NOT NULL,
  disabled_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX users_practice ON users(practice_id);

CREATE TABLE auth_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE login_throttle (
  email TEXT PRIMARY KEY COLLATE NOCASE,
  failures INTEGER NOT NULL,
  window_started_at INTEGER NOT NULL,
  locked_until INTEGER
);

CREATE TABLE closures (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  date TEXT NOT NULL,
  reason TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (practice_id, date)
);

CREATE TABLE venues (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  name TEXT NOT NULL,
  address TEXT,
  meeting_point TEXT,
  accessibility TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX venues_practice ON venues(practice_id);

-- "groups" is an SQL keyword (window frames), hence community_groups.
CREATE TABLE community_groups (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('allotment', 'health_walk', 'mindfulness', 'chair_yoga', 'peer_support', 'book_club', 'other')),
  description TEXT,
  venue_id INTEGER NOT NULL REFERENCES venues(id),
  capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
  sms_label TEXT,
  reminder_offsets TEXT NOT NULL DEFAULT '[1440,120]',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
  frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'fortnightly', 'monthly')),
  weekdays TEXT NOT NULL,
  week_of_month INTEGER,
  start_time TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
  start_date TEXT NOT NULL,
  until_date TEXT,
  occurrence_count INTEGER,
  materialised_until TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX community_groups_practice ON community_groups(practice_id);

CREATE TABLE group_facilitators (
  group_id INTEGER NOT NULL REFERENCES community_groups(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_facilitators_user ON group_facilitators(user_id);

-- occurrence_date is the schedule slot a session came from (NULL for a one-off);
-- edited = 1 once a person cancelled or moved it, so schedule edits leave it alone.
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  group_id INTEGER NOT NULL REFERENCES community_groups(id) ON DELETE CASCADE,
  occurrence_date TEXT,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  venue_id INTEGER NOT NULL REFERENCES venues(id),
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  cancel_reason TEXT,
  edited INTEGER NOT NULL DEFAULT 0,
  sequence INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (ends_at > starts_at),
  UNIQUE (group_id, occurrence_date)
);
CREATE INDEX sessions_group_starts ON sessions(group_id, starts_at);
CREATE INDEX sessions_practice_starts ON sessions(practice_id, starts_at);
