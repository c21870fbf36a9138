-- OWASP's device cookies (issue 24): a browser that signed in to an account before carries a token
-- for it, and keeps its own allowance of wrong passwords when strangers have used up the account's.
CREATE TABLE trusted_devices (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices(user_id, last_used_at);
