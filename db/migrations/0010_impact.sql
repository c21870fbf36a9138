-- Evidence of impact (issue 16): wellbeing measures, GP appointment counts, and keeping only what is needed.

-- A wellbeing measure taken on a date: SWEMWBS (7 items, 1-5) or ONS4 (4 items, 0-10), with its scores.
CREATE TABLE outcomes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  measure TEXT NOT NULL CHECK (measure IN ('swemwbs', 'ons4')),
  answers TEXT NOT NULL,
  raw_score INTEGER,
  metric_score REAL,
  taken_on TEXT NOT NULL,
  recorded_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL
);
-- Both cover what the impact report reads (baseline and follow-up per person), so it never visits the table.
CREATE INDEX outcomes_participant ON outcomes(participant_id, measure, taken_on, id, metric_score);
CREATE INDEX outcomes_practice ON outcomes(practice_id, measure, participant_id, taken_on);

-- The CHI number matches a participant to the practice's appointment export; one person per CHI in a practice.
ALTER TABLE participants ADD COLUMN chi_number TEXT;
CREATE UNIQUE INDEX participants_chi ON participants(practice_id, chi_number) WHERE chi_number IS NOT NULL;

-- GP appointment counts from the practice's clinical system: CHI x period x count, never a reason.
CREATE TABLE gp_appointments (
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  chi_number TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  appointments INTEGER NOT NULL CHECK (appointments >= 0),
  -- The period as days since 1970, for the impact report's arithmetic over many rows.
  from_day INTEGER GENERATED ALWAYS AS (CAST(julianday(period_from) - 2440587.5 AS INTEGER)) STORED,
  to_day INTEGER GENERATED ALWAYS AS (CAST(julianday(period_to) - 2440587.5 AS INTEGER)) STORED,
  imported_at INTEGER NOT NULL,
  imported_by INTEGER REFERENCES users(id),
  PRIMARY KEY (practice_id, chi_number, period_from, period_to)
);

-- Retention, per practice: texts' words blanked after N months; people with no activity listed after N months.
ALTER TABLE practices ADD COLUMN retention_text_months INTEGER NOT NULL DEFAULT 6 CHECK (retention_text_months BETWEEN 1 AND 120);
ALTER TABLE practices ADD COLUMN retention_inactive_months INTEGER NOT NULL DEFAULT 24 CHECK (retention_inactive_months BETWEEN 6 AND 240);
-- A group whose attendance rate falls below this share is flagged in the impact report.
ALTER TABLE practices ADD COLUMN attendance_threshold REAL NOT NULL DEFAULT 0.5 CHECK (attendance_threshold BETWEEN 0 AND 1);
-- Texts whose words were blanked under the retention rule (status kept). The reminder pass looks
-- for texts still to blank every minute: this index holds only those, so the look is short.
ALTER TABLE messages ADD COLUMN body_blanked_at INTEGER;
CREATE INDEX messages_to_blank ON messages(practice_id, created_at) WHERE body_blanked_at IS NULL;
