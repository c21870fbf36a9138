/**
 * session_marks and participation worked out from the marks themselves: what migration 0011 and
 * its triggers keep. Bulk loads that skip the triggers (the benchmark seed) run this after, and
 * a test checks the triggers against it.
 */
export const REBUILD_SUMMARIES_SQL = [
  'DELETE FROM session_marks',
  `INSERT INTO session_marks (session_id, present, late, absent, apologies)
     SELECT session_id, sum(status = 'present'), sum(status = 'late'), sum(status = 'absent'), sum(status = 'apologies') FROM attendance GROUP BY session_id`,
  'DELETE FROM participation',
  `INSERT INTO participation (participant_id, group_id, practice_id, attended, first_at, last_at)
     SELECT a.participant_id, s.group_id, s.practice_id, count(*), min(s.starts_at), max(s.starts_at)
     FROM attendance a JOIN sessions s ON s.id = a.session_id
     WHERE a.status IN ('present', 'late') AND s.status = 'scheduled'
     GROUP BY a.participant_id, s.group_id`,
];
