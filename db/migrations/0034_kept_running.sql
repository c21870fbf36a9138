-- A period still running is kept too (issue 38). Its figures change with the clock only when one
-- of the practice's sessions starts, at the practice's midnight (measures and GP data count to
-- the day), and when someone's fourth or twelfth week since their first session comes.
-- worked_at is the instant they hold for: a session starting since then leaves them unread (a
-- session added later is caught too); valid_until is the next midnight or such week, or the end
-- of the period. Both NULL for a period that is over: true until something changes.
ALTER TABLE kept_figures ADD COLUMN worked_at INTEGER;
ALTER TABLE kept_figures ADD COLUMN valid_until INTEGER;
