-- Many practices on one deployment (issue 12). A user belongs to practices through memberships,
-- with a role in each; users.practice_id and users.role keep only where the account was made.
CREATE TABLE memberships (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'clp', 'staff')),
  disabled_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, practice_id)
);
CREATE INDEX memberships_practice ON memberships(practice_id, role);
INSERT INTO memberships (user_id, practice_id, role, disabled_at, created_at)
  SELECT id, practice_id, role, disabled_at, created_at FROM users;

-- The programme level: creates practices and sees pseudonymous programme-wide reports.
ALTER TABLE users ADD COLUMN programme_role TEXT CHECK (programme_role IN ('programme_admin'));
UPDATE users SET programme_role = 'programme_admin' WHERE id = (SELECT min(id) FROM users WHERE role = 'admin');

-- A session acts in one practice at a time.
ALTER TABLE auth_tokens ADD COLUMN practice_id INTEGER REFERENCES practices(id);
UPDATE auth_tokens SET practice_id = (SELECT practice_id FROM users WHERE users.id = auth_tokens.user_id);

-- Practice codes identify practices in programme reports: one code, one practice.
CREATE UNIQUE INDEX practices_code ON practices(code) WHERE code IS NOT NULL;

-- A password reset an admin hands over: a one-time code, stored hashed, short-lived.
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_by INTEGER REFERENCES users(id),
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
