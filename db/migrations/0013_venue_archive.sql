-- A venue no longer used (a hall that closed) is archived, not deleted: past sessions still name it.
ALTER TABLE venues ADD COLUMN archived_at INTEGER;
