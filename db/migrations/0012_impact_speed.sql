-- The programme's impact report over 3 years of 100 practices in under a second (issue 16): the
-- marks per session carry what the report filters and groups by, so it reads covering indexes
-- instead of visiting session_marks once per session (400,000 lookups), and the funnel and GP
-- figures read covering indexes too.
ALTER TABLE session_marks ADD COLUMN practice_id INTEGER;
ALTER TABLE session_marks ADD COLUMN group_id INTEGER;
ALTER TABLE session_marks ADD COLUMN starts_at INTEGER;
ALTER TABLE session_marks ADD COLUMN status TEXT;
UPDATE session_marks SET (practice_id, group_id, starts_at, status) =
  (SELECT practice_id, group_id, starts_at, status FROM sessions WHERE sessions.id = session_marks.session_id);
-- Read group by group: one index range per group and period, already in the order the report groups by.
CREATE INDEX session_marks_group_report ON session_marks(group_id, status, starts_at, present, late, absent, apologies);
CREATE INDEX sessions_group_report ON sessions(group_id, status, starts_at, headcount);

DROP TRIGGER attendance_marks_insert;
CREATE TRIGGER attendance_marks_insert AFTER INSERT ON attendance BEGIN
  INSERT INTO session_marks (session_id, practice_id, group_id, starts_at, status)
    SELECT id, practice_id, group_id, starts_at, status FROM sessions WHERE id = NEW.session_id
    ON CONFLICT (session_id) DO NOTHING;
  UPDATE session_marks SET present = present + (NEW.status = 'present'), late = late + (NEW.status = 'late'),
    absent = absent + (NEW.status = 'absent'), apologies = apologies + (NEW.status = 'apologies') WHERE session_id = NEW.session_id;
END;
-- A session moved, cancelled or restored after its register was taken: its marks follow it.
CREATE TRIGGER sessions_marks_follow AFTER UPDATE OF starts_at, status, group_id ON sessions BEGIN
  UPDATE session_marks SET starts_at = NEW.starts_at, status = NEW.status, group_id = NEW.group_id WHERE session_id = NEW.id;
END;

CREATE INDEX enrolments_requested ON enrolments(practice_id, requested_at, participant_id, enrolled_at);
CREATE INDEX gp_appointments_report ON gp_appointments(practice_id, chi_number, from_day, to_day, appointments);
