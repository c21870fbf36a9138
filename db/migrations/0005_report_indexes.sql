-- Reports and registers read attendance by practice: without this, one practice's report scanned
-- every practice's attendance (1.75 s over 100 practices × 3 years; bench/large-bench.ts).
CREATE INDEX attendance_practice_session ON attendance(practice_id, session_id, status);
