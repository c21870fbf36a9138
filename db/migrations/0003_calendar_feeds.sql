-- Calendar feeds practice staff subscribe to. The token is shown once and stored only as a hash.

CREATE TABLE calendar_feeds (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  scope TEXT NOT NULL CHECK (scope IN ('practice', 'group', 'facilitator')),
  group_id INTEGER REFERENCES community_groups(id),
  user_id INTEGER REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_accessed_at INTEGER
);
CREATE INDEX calendar_feeds_practice ON calendar_feeds(practice_id);

-- Last-Modified is "the newest change in the practice": these keep that an index seek.
CREATE INDEX sessions_practice_updated ON sessions(practice_id, updated_at);
CREATE INDEX enrolments_practice_updated ON enrolments(practice_id, updated_at);
CREATE INDEX community_groups_practice_updated ON community_groups(practice_id, updated_at);

-- data_version goes up on every change to what a feed can show, so an unchanged version means an
-- unchanged feed (ETag, cache) even when two edits share a millisecond. Triggers keep every
-- writer honest, on SQLite and D1 alike. Each trigger is one line: the migrator splits on ";" at line ends.
ALTER TABLE practices ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER sessions_insert_bumps_version AFTER INSERT ON sessions BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER sessions_update_bumps_version AFTER UPDATE ON sessions BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER sessions_delete_bumps_version AFTER DELETE ON sessions BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER community_groups_insert_bumps_version AFTER INSERT ON community_groups BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER community_groups_update_bumps_version AFTER UPDATE ON community_groups BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER community_groups_delete_bumps_version AFTER DELETE ON community_groups BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER venues_insert_bumps_version AFTER INSERT ON venues BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER venues_update_bumps_version AFTER UPDATE ON venues BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER venues_delete_bumps_version AFTER DELETE ON venues BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER enrolments_insert_bumps_version AFTER INSERT ON enrolments BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER enrolments_update_bumps_version AFTER UPDATE ON enrolments BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER enrolments_delete_bumps_version AFTER DELETE ON enrolments BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER users_insert_bumps_version AFTER INSERT ON users BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER users_update_bumps_version AFTER UPDATE ON users BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = NEW.practice_id; END;
CREATE TRIGGER users_delete_bumps_version AFTER DELETE ON users BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = OLD.practice_id; END;
CREATE TRIGGER group_facilitators_insert_bumps_version AFTER INSERT ON group_facilitators BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = (SELECT practice_id FROM community_groups WHERE id = NEW.group_id); END;
CREATE TRIGGER group_facilitators_delete_bumps_version AFTER DELETE ON group_facilitators BEGIN UPDATE practices SET data_version = data_version + 1 WHERE id = (SELECT practice_id FROM community_groups WHERE id = OLD.group_id); END;
