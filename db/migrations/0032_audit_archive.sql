-- Audit events older than the practice's audit retention move to an archive (R2 on Workers, a
-- directory on Node), compressed, a few thousand events an object (issue 38: ten years of a
-- thousand practices' reads do not fit one D1 database). Each object is listed here, with
-- everyone it names, so a subject-access request still finds a person's archived trail.
ALTER TABLE practices ADD COLUMN retention_audit_months INTEGER NOT NULL DEFAULT 24 CHECK (retention_audit_months BETWEEN 6 AND 240);
CREATE TABLE audit_archives (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  key TEXT NOT NULL UNIQUE,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  events INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  archived_at INTEGER NOT NULL
);
CREATE INDEX audit_archives_practice ON audit_archives(practice_id, last_id);
CREATE TABLE audit_archive_people (
  participant_id INTEGER NOT NULL,
  archive_id INTEGER NOT NULL REFERENCES audit_archives(id),
  PRIMARY KEY (participant_id, archive_id)
) WITHOUT ROWID;
-- Archiving reads an event's people and a shown set's members by event and by set, and deletes
-- events (whose older people rows cascade): both need an index the primary keys do not give.
CREATE INDEX audit_event_participants_event ON audit_event_participants(event_id);
CREATE INDEX audit_shown_members_set ON audit_shown_members(set_id);
