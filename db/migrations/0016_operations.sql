-- Running it for years (issue 24).

-- The first run happens once: the first practice and programme admin are made in the same
-- transaction as this row, whose key can only ever be 1. However many setup submissions (or
-- Workers isolates with ADMIN_EMAIL) arrive at once, exactly one commits.
CREATE TABLE setup_done (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  done_at INTEGER NOT NULL
);
INSERT INTO setup_done (id, done_at) SELECT 1, CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE EXISTS (SELECT 1 FROM users);

-- In a backup copy only: when the snapshot was taken (the live database never has a row). A copy
-- taken just before this migration ran was given the table by the backup itself.
CREATE TABLE IF NOT EXISTS backup_taken (
  taken_at INTEGER NOT NULL
);

-- Every backup attempt on this server, so a failure is shown to admins (never stops the server).
CREATE TABLE backup_runs (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  file TEXT,
  ok INTEGER NOT NULL,
  error TEXT
);

-- A restore from a backup taken at backup_taken_at. Until it is settled, every text that may have
-- gone before the restore is checked against Twilio's log before it is sent.
CREATE TABLE restores (
  id INTEGER PRIMARY KEY,
  restored_at INTEGER NOT NULL,
  backup_taken_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  -- The first reminder pass after the restore: texts due up to then may have been sent already.
  first_pass_at INTEGER,
  settled_at INTEGER,
  found_sent INTEGER NOT NULL DEFAULT 0,
  sent_after_check INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0
);

-- Each practice's admins see the restore's notice (what to check since the backup) until one of them has read it.
CREATE TABLE restore_acknowledgements (
  restore_id INTEGER NOT NULL REFERENCES restores(id),
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  acknowledged_at INTEGER NOT NULL,
  PRIMARY KEY (restore_id, practice_id)
);
