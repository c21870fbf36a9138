-- Referrals in, and the message back (issue 35): who referred whom, why, with what consent, and
-- each step of the path from received to closed with who took it and when.
CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'accepted', 'declined', 'contacted', 'attended', 'closed')),
  -- Blanked by an erasure, with needs and the referrer's words: the counts stay, the person goes.
  reason TEXT,
  needs TEXT,
  suggested_group_id INTEGER REFERENCES community_groups(id),
  group_id INTEGER REFERENCES community_groups(id),
  consent_to_be_referred INTEGER NOT NULL CHECK (consent_to_be_referred = 1),
  share_with_referrer INTEGER NOT NULL DEFAULT 0,
  referrer_name TEXT,
  referrer_organisation TEXT,
  referred_by INTEGER REFERENCES users(id),
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX referrals_practice ON referrals(practice_id, status, received_at);
CREATE INDEX referrals_referrer ON referrals(practice_id, referred_by, received_at);
CREATE INDEX referrals_person ON referrals(participant_id, status);

CREATE TABLE referral_steps (
  id INTEGER PRIMARY KEY,
  referral_id INTEGER NOT NULL REFERENCES referrals(id),
  status TEXT NOT NULL,
  reason TEXT,
  user_id INTEGER REFERENCES users(id),
  at INTEGER NOT NULL
);
CREATE INDEX referral_steps_referral ON referral_steps(referral_id, at);
CREATE INDEX referral_steps_coded ON referral_steps(status, at);

-- The first time a referred person is marked present or late at the group they were accepted
-- into, the referral becomes "attended" by itself, whichever path wrote the mark (the register,
-- a check-in, the offline register's sync), on SQLite and on D1 alike.
CREATE TRIGGER attendance_insert_attends_referral AFTER INSERT ON attendance WHEN NEW.status IN ('present', 'late') BEGIN
  INSERT INTO referral_steps (referral_id, status, user_id, at)
    SELECT r.id, 'attended', NEW.recorded_by, NEW.recorded_at FROM referrals r
    WHERE r.participant_id = NEW.participant_id AND r.status IN ('accepted', 'contacted')
      AND r.group_id = (SELECT group_id FROM sessions WHERE id = NEW.session_id);
  UPDATE referrals SET status = 'attended', updated_at = NEW.recorded_at
    WHERE participant_id = NEW.participant_id AND status IN ('accepted', 'contacted')
      AND group_id = (SELECT group_id FROM sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER attendance_update_attends_referral AFTER UPDATE OF status ON attendance WHEN NEW.status IN ('present', 'late') BEGIN
  INSERT INTO referral_steps (referral_id, status, user_id, at)
    SELECT r.id, 'attended', NEW.recorded_by, NEW.recorded_at FROM referrals r
    WHERE r.participant_id = NEW.participant_id AND r.status IN ('accepted', 'contacted')
      AND r.group_id = (SELECT group_id FROM sessions WHERE id = NEW.session_id);
  UPDATE referrals SET status = 'attended', updated_at = NEW.recorded_at
    WHERE participant_id = NEW.participant_id AND status IN ('accepted', 'contacted')
      AND group_id = (SELECT group_id FROM sessions WHERE id = NEW.session_id);
END;
