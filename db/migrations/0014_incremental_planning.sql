-- The reminder pass used to plan its whole 15-day look-ahead every minute (211,000 reminders on
-- the large set, freezing every request for 10-32 s). Now a practice is planned again only when
-- something a reminder depends on changed there; otherwise only sessions newly inside the window.
-- data_version already counts sessions, groups, venues and enrolments (0003); plan_version counts
-- the rest: participants, apologies, the practice's own wording, and its name and zone.
ALTER TABLE practices ADD COLUMN plan_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER participants_insert_bumps_plan AFTER INSERT ON participants BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER participants_update_bumps_plan AFTER UPDATE ON participants BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER attendance_apologies_insert_bumps_plan AFTER INSERT ON attendance WHEN NEW.status = 'apologies' BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER attendance_apologies_update_bumps_plan AFTER UPDATE OF status ON attendance WHEN NEW.status = 'apologies' OR OLD.status = 'apologies' BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER attendance_apologies_delete_bumps_plan AFTER DELETE ON attendance WHEN OLD.status = 'apologies' BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER sms_templates_insert_bumps_plan AFTER INSERT ON sms_templates BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER sms_templates_update_bumps_plan AFTER UPDATE ON sms_templates BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER sms_templates_delete_bumps_plan AFTER DELETE ON sms_templates BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER practices_wording_bumps_plan AFTER UPDATE OF name, timezone ON practices BEGIN UPDATE practices SET plan_version = plan_version + 1 WHERE id = NEW.id; END;

-- What the last pass planned for each practice: the versions it saw, and how far ahead.
CREATE TABLE reminder_plans (
  practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
  data_version INTEGER NOT NULL,
  plan_version INTEGER NOT NULL,
  planned_to INTEGER NOT NULL
);
