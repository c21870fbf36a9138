-- Reports over years of registers read a few summary rows, not millions of marks (issue 16's
-- impact report over 3 years of 100 practices). Both tables are kept by triggers on attendance
-- and sessions, and rebuilt from the marks here.

-- Sessions held in a period, by practice, without visiting the table (the reports' scan).
CREATE INDEX sessions_report ON sessions(practice_id, starts_at, status, group_id, headcount);

-- Per session: how many were marked present, late, absent and sent apologies.
CREATE TABLE session_marks (
  session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  present INTEGER NOT NULL DEFAULT 0,
  late INTEGER NOT NULL DEFAULT 0,
  absent INTEGER NOT NULL DEFAULT 0,
  apologies INTEGER NOT NULL DEFAULT 0
);
INSERT INTO session_marks (session_id, present, late, absent, apologies)
  SELECT session_id, sum(status = 'present'), sum(status = 'late'), sum(status = 'absent'), sum(status = 'apologies') FROM attendance GROUP BY session_id;

CREATE TRIGGER attendance_marks_insert AFTER INSERT ON attendance BEGIN
  INSERT INTO session_marks (session_id) VALUES (NEW.session_id) ON CONFLICT (session_id) DO NOTHING;
  UPDATE session_marks SET present = present + (NEW.status = 'present'), late = late + (NEW.status = 'late'),
    absent = absent + (NEW.status = 'absent'), apologies = apologies + (NEW.status = 'apologies') WHERE session_id = NEW.session_id;
END;
CREATE TRIGGER attendance_marks_delete AFTER DELETE ON attendance BEGIN
  UPDATE session_marks SET present = present - (OLD.status = 'present'), late = late - (OLD.status = 'late'),
    absent = absent - (OLD.status = 'absent'), apologies = apologies - (OLD.status = 'apologies') WHERE session_id = OLD.session_id;
END;
CREATE TRIGGER attendance_marks_update AFTER UPDATE OF status ON attendance BEGIN
  UPDATE session_marks SET present = present - (OLD.status = 'present') + (NEW.status = 'present'), late = late - (OLD.status = 'late') + (NEW.status = 'late'),
    absent = absent - (OLD.status = 'absent') + (NEW.status = 'absent'), apologies = apologies - (OLD.status = 'apologies') + (NEW.status = 'apologies')
  WHERE session_id = NEW.session_id;
END;

-- Per person and group: sessions attended (present or late, at sessions that went ahead), the first and the last.
CREATE TABLE participation (
  participant_id INTEGER NOT NULL,
  group_id INTEGER NOT NULL,
  practice_id INTEGER NOT NULL,
  attended INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (participant_id, group_id)
);
-- Covers the reports' reads by practice and first session.
CREATE INDEX participation_practice ON participation(practice_id, first_at, participant_id, group_id, attended, last_at);
INSERT INTO participation (participant_id, group_id, practice_id, attended, first_at, last_at)
  SELECT a.participant_id, s.group_id, s.practice_id, count(*), min(s.starts_at), max(s.starts_at)
  FROM attendance a JOIN sessions s ON s.id = a.session_id
  WHERE a.status IN ('present', 'late') AND s.status = 'scheduled'
  GROUP BY a.participant_id, s.group_id;

-- One person's row in one group, worked out again from their marks (a handful of rows, by index).
CREATE TRIGGER attendance_participation_insert AFTER INSERT ON attendance BEGIN
  DELETE FROM participation WHERE participant_id = NEW.participant_id AND group_id = (SELECT group_id FROM sessions WHERE id = NEW.session_id);
  INSERT INTO participation (participant_id, group_id, practice_id, attended, first_at, last_at)
    SELECT a.participant_id, s.group_id, s.practice_id, count(*), min(s.starts_at), max(s.starts_at)
    FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE a.participant_id = NEW.participant_id AND s.group_id = (SELECT group_id FROM sessions WHERE id = NEW.session_id)
      AND a.status IN ('present', 'late') AND s.status = 'scheduled'
    GROUP BY a.participant_id, s.group_id;
END;
CREATE TRIGGER attendance_participation_delete AFTER DELETE ON attendance BEGIN
  DELETE FROM participation WHERE participant_id = OLD.participant_id AND group_id = (SELECT group_id FROM sessions WHERE id = OLD.session_id);
  INSERT INTO participation (participant_id, group_id, practice_id, attended, first_at, last_at)
    SELECT a.participant_id, s.group_id, s.practice_id, count(*), min(s.starts_at), max(s.starts_at)
    FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE a.participant_id = OLD.participant_id AND s.group_id = (SELECT group_id FROM sessions WHERE id = OLD.session_id)
      AND a.status IN ('present', 'late') AND s.status = 'scheduled'
    GROUP BY a.participant_id, s.group_id;
END;
CREATE TRIGGER attendance_participation_update AFTER UPDATE OF status ON attendance BEGIN
  DELETE FROM participation WHERE participant_id = NEW.participant_id AND group_id = (SELECT group_id FROM sessions WHERE id = NEW.session_id);
  INSERT INTO participation (participant_id, group_id, practice_id, attended, first_at, last_at)
    SELECT a.participant_id, s.group_id, s.practice_id, count(*), min(s.starts_at), max(s.starts_at)
    FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE a.participant_id = NEW.participant_id AND s.group_id = (SELECT group_id FROM sessions WHERE id = NEW.session_id)
      AND a.status IN ('present', 'late') AND s.status = 'scheduled'
    GROUP BY a.participant_id, s.group_id;
END;
-- A session cancelled, restored or moved after its register was taken changes who came and when.
CREATE TRIGGER sessions_participation_update AFTER UPDATE OF status, starts_at ON sessions
WHEN OLD.status IS NOT NEW.status OR OLD.starts_at IS NOT NEW.starts_at BEGIN
  DELETE FROM participation WHERE group_id = NEW.group_id AND participant_id IN (SELECT participant_id FROM attendance WHERE session_id = NEW.id);
  INSERT INTO participation (participant_id, group_id, practice_id, attended, first_at, last_at)
    SELECT a.participant_id, s.group_id, s.practice_id, count(*), min(s.starts_at), max(s.starts_at)
    FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE s.group_id = NEW.group_id AND a.participant_id IN (SELECT participant_id FROM attendance WHERE session_id = NEW.id)
      AND a.status IN ('present', 'late') AND s.status = 'scheduled'
    GROUP BY a.participant_id, s.group_id;
END;
