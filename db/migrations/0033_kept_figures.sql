-- A practice's part of the programme's impact report for a period that is over, kept as computed
-- (kept_figures), and the counter that says it is still true: figures_version is bumped by every
-- change the report reads. A kept row whose version is not the practice's is never used; the
-- reminder pass works it out again while its period was asked for in the last three months.
ALTER TABLE practices ADD COLUMN figures_version INTEGER NOT NULL DEFAULT 0;
CREATE TABLE kept_figures (
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  period TEXT NOT NULL,
  version INTEGER NOT NULL,
  figures TEXT NOT NULL,
  PRIMARY KEY (practice_id, period)
);
-- When the programme last asked for each period kept: a row of its own, so asking never rewrites the figures.
CREATE TABLE kept_periods (
  period TEXT PRIMARY KEY,
  asked_at INTEGER NOT NULL
);

CREATE TRIGGER attendance_insert_bumps_figures AFTER INSERT ON attendance BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER attendance_update_bumps_figures AFTER UPDATE ON attendance BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER attendance_delete_bumps_figures AFTER DELETE ON attendance BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER outcomes_insert_bumps_figures AFTER INSERT ON outcomes BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER outcomes_update_bumps_figures AFTER UPDATE ON outcomes BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER outcomes_delete_bumps_figures AFTER DELETE ON outcomes BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER gp_appointments_insert_bumps_figures AFTER INSERT ON gp_appointments BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER gp_appointments_update_bumps_figures AFTER UPDATE ON gp_appointments BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER gp_appointments_delete_bumps_figures AFTER DELETE ON gp_appointments BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER referrals_insert_bumps_figures AFTER INSERT ON referrals BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER referrals_update_bumps_figures AFTER UPDATE ON referrals BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER referrals_delete_bumps_figures AFTER DELETE ON referrals BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER referral_steps_insert_bumps_figures AFTER INSERT ON referral_steps BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = (SELECT practice_id FROM referrals WHERE id = NEW.referral_id); END;
CREATE TRIGGER referral_steps_update_bumps_figures AFTER UPDATE ON referral_steps BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = (SELECT practice_id FROM referrals WHERE id = NEW.referral_id); END;
CREATE TRIGGER referral_steps_delete_bumps_figures AFTER DELETE ON referral_steps BEGIN UPDATE practices SET figures_version = figures_version + 1 WHERE id = (SELECT practice_id FROM referrals WHERE id = OLD.referral_id); END;
-- The tables whose changes feeds already count bump both counters in one statement: a session's
-- insert only when it is for a time already past (a pass adding next week's sessions changes no
-- period that is over).
DROP TRIGGER sessions_insert_bumps_version;
CREATE TRIGGER sessions_insert_bumps_version AFTER INSERT ON sessions BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + (NEW.starts_at < NEW.created_at) WHERE id = NEW.practice_id; END;
DROP TRIGGER sessions_update_bumps_version;
CREATE TRIGGER sessions_update_bumps_version AFTER UPDATE ON sessions BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
DROP TRIGGER sessions_delete_bumps_version;
CREATE TRIGGER sessions_delete_bumps_version AFTER DELETE ON sessions BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = OLD.practice_id; END;
DROP TRIGGER enrolments_insert_bumps_version;
CREATE TRIGGER enrolments_insert_bumps_version AFTER INSERT ON enrolments BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
DROP TRIGGER enrolments_update_bumps_version;
CREATE TRIGGER enrolments_update_bumps_version AFTER UPDATE ON enrolments BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
DROP TRIGGER enrolments_delete_bumps_version;
CREATE TRIGGER enrolments_delete_bumps_version AFTER DELETE ON enrolments BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = OLD.practice_id; END;
DROP TRIGGER community_groups_insert_bumps_version;
CREATE TRIGGER community_groups_insert_bumps_version AFTER INSERT ON community_groups BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
DROP TRIGGER community_groups_update_bumps_version;
CREATE TRIGGER community_groups_update_bumps_version AFTER UPDATE ON community_groups BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = NEW.practice_id; END;
DROP TRIGGER community_groups_delete_bumps_version;
CREATE TRIGGER community_groups_delete_bumps_version AFTER DELETE ON community_groups BEGIN UPDATE practices SET data_version = data_version + 1, figures_version = figures_version + 1 WHERE id = OLD.practice_id; END;
-- Someone's CHI number decides whether they may be one person with a record in another practice:
-- a change to it reaches every practice holding the number, before and after.
CREATE TRIGGER participants_insert_bumps_figures AFTER INSERT ON participants BEGIN
  UPDATE practices SET figures_version = figures_version + 1
  WHERE id = NEW.practice_id OR id IN (SELECT practice_id FROM participants WHERE chi_number = NEW.chi_number AND erased_at IS NULL);
END;
CREATE TRIGGER participants_update_bumps_figures AFTER UPDATE OF chi_number, erased_at, practice_id ON participants BEGIN
  UPDATE practices SET figures_version = figures_version + 1
  WHERE id IN (NEW.practice_id, OLD.practice_id)
     OR id IN (SELECT practice_id FROM participants WHERE chi_number IN (NEW.chi_number, OLD.chi_number) AND erased_at IS NULL);
END;
-- An erasure takes the kept figures with it: they may hold the person's scores, unnamed.
CREATE TRIGGER participants_erased_drops_figures AFTER UPDATE OF erased_at ON participants WHEN NEW.erased_at IS NOT NULL BEGIN
  DELETE FROM kept_figures WHERE practice_id = NEW.practice_id;
END;
CREATE TRIGGER participants_delete_bumps_figures AFTER DELETE ON participants BEGIN
  UPDATE practices SET figures_version = figures_version + 1
  WHERE id = OLD.practice_id OR id IN (SELECT practice_id FROM participants WHERE chi_number = OLD.chi_number AND erased_at IS NULL);
  DELETE FROM kept_figures WHERE practice_id = OLD.practice_id;
END;
CREATE TRIGGER practices_settings_bump_figures AFTER UPDATE OF timezone, attendance_threshold ON practices BEGIN
  UPDATE practices SET figures_version = figures_version + 1 WHERE id = NEW.id;
END;
