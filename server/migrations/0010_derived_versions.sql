-- The series' writes stored before the laptops marked them (domain migration 0017): the
-- field versions of visits a series still governs (not exceptions) are marked as the
-- laptops mark theirs, but for the status and its times, which people change without
-- making the visit an exception. A person's write of a field now outranks the series'.
UPDATE "sync_rows" s
SET "versions" = coalesce((
  SELECT jsonb_object_agg(e.key, CASE
    WHEN e.key IN ('status', 'started_at', 'completed_at') OR left(e.value, 1) = '!' THEN e.value
    ELSE '!' || e.value END)
  FROM jsonb_each_text(s."versions") AS e), s."versions")
FROM "appointments" a
WHERE s."table_name" = 'appointments' AND s."row_id" = a."id"
  AND a."series_id" IS NOT NULL AND NOT a."series_exception";
