-- Outcomes by text (issue 34): ONS4's happiness question asked by text when someone is given a
-- place and 8 weeks later, answered with a number, so people who stop coming are measured too.

-- A practice turns it on; a person agrees to it.
ALTER TABLE practices ADD COLUMN outcome_texts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN outcome_text_consent INTEGER NOT NULL DEFAULT 0;

-- Outcomes rebuilt to widen the measure check with 'happiness' and to say where each came from
-- (a form, or a text answering one question: message_id, once). Nothing refers to this table.
CREATE TABLE outcomes_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  measure TEXT NOT NULL CHECK (measure IN ('swemwbs', 'ons4', 'happiness')),
  answers TEXT NOT NULL,
  raw_score INTEGER,
  metric_score REAL,
  taken_on TEXT NOT NULL,
  recorded_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT 'form' CHECK (source IN ('form', 'sms')),
  message_id INTEGER
);
INSERT INTO outcomes_new (id, practice_id, participant_id, measure, answers, raw_score, metric_score, taken_on, recorded_by, created_at)
  SELECT id, practice_id, participant_id, measure, answers, raw_score, metric_score, taken_on, recorded_by, created_at FROM outcomes;
DROP TABLE outcomes;
ALTER TABLE outcomes_new RENAME TO outcomes;
CREATE INDEX outcomes_participant ON outcomes(participant_id, measure, taken_on, id, metric_score);
CREATE INDEX outcomes_practice ON outcomes(practice_id, measure, participant_id, taken_on);
CREATE UNIQUE INDEX outcomes_answering ON outcomes(message_id) WHERE message_id IS NOT NULL;

-- The questions asked, found by person when a number comes back.
CREATE INDEX messages_outcome_questions ON messages(participant_id, sent_at) WHERE kind = 'outcome_question';

-- Everyone placed, whatever became of their place: the 8-week question goes to people who left too.
CREATE INDEX enrolments_placed ON enrolments(enrolled_at) WHERE enrolled_at IS NOT NULL;
