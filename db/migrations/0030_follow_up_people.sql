-- Follow-ups are about people (issue 34): who is taking someone on, and when to call them again,
-- kept per person whatever groups they are listed for.
CREATE TABLE follow_up_people (
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  taken_on_by INTEGER REFERENCES users(id),
  call_again_on TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (practice_id, participant_id)
);
