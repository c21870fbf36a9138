-- Reads that stay reads (issue 25). A read that shows people writes one audit event: who was shown
-- is a set, written once (its members indexed by person) and named by every event that showed it.
-- A register read showed 31 rows' worth of writes; now one, and none for a set seen before.
CREATE TABLE audit_shown_sets (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);
CREATE TABLE audit_shown_members (
  set_id INTEGER NOT NULL REFERENCES audit_shown_sets(id),
  participant_id INTEGER NOT NULL,
  PRIMARY KEY (participant_id, set_id)
) WITHOUT ROWID;
ALTER TABLE audit_events ADD COLUMN shown_set_id INTEGER REFERENCES audit_shown_sets(id);
CREATE INDEX audit_events_shown_set ON audit_events(shown_set_id) WHERE shown_set_id IS NOT NULL;

-- A register's version: every change to a session's marks counts, whichever way it was made, so a
-- page or an answer kept by a phone is known unchanged (ETag) without reading the register again.
CREATE TABLE register_versions (
  session_id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL
);
CREATE TRIGGER attendance_insert_register_version AFTER INSERT ON attendance BEGIN
  INSERT INTO register_versions (session_id, version) VALUES (NEW.session_id, 1) ON CONFLICT (session_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER attendance_update_register_version AFTER UPDATE ON attendance BEGIN
  INSERT INTO register_versions (session_id, version) VALUES (NEW.session_id, 1) ON CONFLICT (session_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER attendance_delete_register_version AFTER DELETE ON attendance BEGIN
  INSERT INTO register_versions (session_id, version) VALUES (OLD.session_id, 1) ON CONFLICT (session_id) DO UPDATE SET version = version + 1;
END;
