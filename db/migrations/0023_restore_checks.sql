-- Restores that can never resend (issue 32).

-- A text whose look-up in Twilio's log failed keeps waiting for that look-up, whatever its due time
-- becomes while it backs off: the restore is settled only when no such text is left.
ALTER TABLE messages ADD COLUMN restore_check INTEGER REFERENCES restores(id);

-- Twilio's log not answering: how many passes in a row it failed (for the back-off), when it last
-- failed and what it said, so the admins' notice tells the truth while texts wait.
ALTER TABLE restores ADD COLUMN lookup_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE restores ADD COLUMN lookup_failed_at INTEGER;
ALTER TABLE restores ADD COLUMN lookup_error TEXT;

-- When this database last ran a reminder pass (the only thing that sends): a text of ours in
-- Twilio's log from well after it, under a SID this database has never seen, means the file was
-- put back from an older copy by some other means than npm run restore.
CREATE TABLE last_pass (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);
