-- The people who lead the groups (issue 27): volunteer leaders, their checks, safe ratios, route
-- risk reviews and concerns raised from the register.

-- A membership may be a leader's: rebuilt to widen its role check (nothing refers to this table).
CREATE TABLE memberships_new (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'clp', 'staff', 'leader')),
  disabled_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, practice_id)
);
INSERT INTO memberships_new (user_id, practice_id, role, disabled_at, created_at) SELECT user_id, practice_id, role, disabled_at, created_at FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_new RENAME TO memberships;
CREATE INDEX memberships_practice ON memberships(practice_id, role);

-- A leader's checks and training: first aid, walk leader, PVG, other; valid from, and until.
CREATE TABLE credentials (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('first_aid', 'walk_leader', 'pvg', 'other')),
  label TEXT,
  reference TEXT,
  valid_from TEXT NOT NULL,
  expires_on TEXT,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX credentials_user ON credentials(practice_id, user_id, kind);
CREATE INDEX credentials_expiry ON credentials(practice_id, expires_on);

-- Safe ratios and first aid per group; risk assessments per venue (a walk's route is a venue).
ALTER TABLE community_groups ADD COLUMN participants_per_leader INTEGER;
ALTER TABLE community_groups ADD COLUMN requires_first_aid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN risk_assessed_on TEXT;
ALTER TABLE venues ADD COLUMN risk_review_months INTEGER;

-- Concerns and incidents a leader or CLP raises from the register: never in a text.
CREATE TABLE concerns (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  participant_id INTEGER REFERENCES participants(id),
  session_id INTEGER REFERENCES sessions(id),
  kind TEXT NOT NULL CHECK (kind IN ('wellbeing', 'safeguarding', 'incident', 'accident')),
  urgency TEXT NOT NULL CHECK (urgency IN ('today', 'this_week')),
  text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
  raised_by INTEGER REFERENCES users(id),
  raised_at INTEGER NOT NULL,
  acknowledged_by INTEGER REFERENCES users(id),
  acknowledged_at INTEGER,
  closed_by INTEGER REFERENCES users(id),
  closed_at INTEGER,
  note TEXT
);
CREATE INDEX concerns_practice ON concerns(practice_id, status, raised_at);
CREATE INDEX concerns_participant ON concerns(participant_id);
