-- The programme's pseudonymous ID (issue 26) and access needs a leader can read at a glance (issue 27).
ALTER TABLE participants ADD COLUMN programme_id TEXT;
CREATE UNIQUE INDEX participants_programme_id ON participants(practice_id, programme_id) WHERE programme_id IS NOT NULL;
ALTER TABLE participants ADD COLUMN interpreter_language TEXT;
ALTER TABLE participants ADD COLUMN mobility TEXT;
ALTER TABLE participants ADD COLUMN transport_arranged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN first_session_support TEXT;
-- Shown to a group's leaders only when the participant gave it for that purpose.
ALTER TABLE participants ADD COLUMN emergency_contact TEXT;
ALTER TABLE participants ADD COLUMN emergency_contact_for_leaders INTEGER NOT NULL DEFAULT 0;
