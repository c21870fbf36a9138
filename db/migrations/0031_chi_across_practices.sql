-- The programme impact report finds CHI numbers in two or more practices (to count such a person
-- once). On Node it reads them a slice of CHI numbers at a time, so no one statement holds the
-- server's thread for long; this index makes each slice a range read.
CREATE INDEX participants_chi_any ON participants(chi_number, practice_id) WHERE chi_number IS NOT NULL AND erased_at IS NULL;
