-- Follow-ups (issue 26): what a CLP did about someone who needs a word (referred and never came,
-- missed their first session, stopped coming, waiting too long). "closed" takes them off the list
-- until something new happens; the reason it was about is kept with it.
CREATE TABLE follow_up_actions (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  group_id INTEGER NOT NULL REFERENCES community_groups(id),
  action TEXT NOT NULL CHECK (action IN ('phoned', 'texted', 'met', 'closed')),
  reason TEXT,
  note TEXT,
  user_id INTEGER REFERENCES users(id),
  at INTEGER NOT NULL
);
CREATE INDEX follow_up_actions_person ON follow_up_actions(practice_id, participant_id, group_id, at);
