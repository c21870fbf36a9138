/**
 * session_marks and participation worked out from the marks themselves: what migrations 0011 and
 * 0012 and their triggers keep. Bulk loads that skip the triggers (the benchmark seed) run this after, and
 * a test checks the triggers against it.
 */
export const REBUILD_SUMMARIES_SQL = [
  'DELETE FROM session_marks',
  `INSERT INTO session_marks (session_id, practice_id, group_id, starts_at, status, present, late, absent, apologies)
     SELECT a.session_id, s.practice_id, s.group_id, s.starts_at, s.status,
       sum(a.status = 'present'), sum(a.status = 'late'), sum(a.status = 'absent'), sum(a.status = 'apologies')
     FROM attendance a JOIN sessions s ON s.id = a.session_id GROUP BY a.session_id`,
  'DELETE FROM participation',
  `INSERT INTO participation (participant_id, group_id, practice_id, attended, first_at, last_at)
     SELECT a.participant_id, s.group_id, s.practice_id, count(*), min(s.starts_at), max(s.starts_at)
     FROM attendance a JOIN sessions s ON s.id = a.session_id
     WHERE a.status IN ('present', 'late') AND s.status = 'scheduled'
     GROUP BY a.participant_id, s.group_id`,
];
