-- A session's marks with their status and person in the index itself (issue 25): counting who came
-- to a practice's sessions in a period (the dose bands of the impact report, per practice in the
-- programme's) then reads no table rows, only this index.
CREATE INDEX attendance_session_marks ON attendance(session_id, status, participant_id);
