-- Writes the app derives from a series (the visits `reconcile` books, changes and removes,
-- shared/domain/series.ts) are recorded with marked field versions: '!' before the clock
-- value, which sorts below every digit, so that a person's write of a field wins over the
-- series' whatever the clocks (shared/sync/merge.ts). The series code sets
-- groundskeeper.derived for its own writes; the outbox then carries the marked versions
-- (its `versions` column), which the server merges as they are. Otherwise unchanged.
CREATE OR REPLACE FUNCTION "sync_capture"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n jsonb;
  o jsonb;
  base jsonb;
  known boolean;
  col text;
  field text;
  v jsonb;
  fields jsonb := '{}';
  stamp text;
  version text;
  derived boolean;
  stamped jsonb;
  accepted text;
  kept jsonb;
BEGIN
  IF coalesce(current_setting('groundskeeper.applying', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  n := to_jsonb(NEW);
  IF TG_OP = 'UPDATE' THEN
    o := to_jsonb(OLD);
  END IF;
  SELECT "versions" INTO base FROM "sync_versions"
    WHERE "table_name" = TG_TABLE_NAME AND "row_id" = NEW."id";
  known := FOUND;
  FOREACH col IN ARRAY TG_ARGV LOOP
    field := ltrim(col, '$');
    IF TG_OP = 'INSERT' OR NOT known OR (n -> field) IS DISTINCT FROM (o -> field) THEN
      v := n -> field;
      IF left(col, 1) = '$' AND v <> 'null'::jsonb THEN
        v := to_jsonb(n ->> field);
      END IF;
      fields := fields || jsonb_build_object(field, v);
    END IF;
  END LOOP;
  IF fields = '{}'::jsonb THEN
    RETURN NULL;
  END IF;
  stamp := "sync_tick"();
  derived := coalesce(current_setting('groundskeeper.derived', true), '') = 'on';
  version := CASE WHEN derived THEN '!' || stamp ELSE stamp END;
  SELECT jsonb_object_agg(k, version) INTO stamped FROM jsonb_object_keys(fields) AS k;
  -- A double booking the user accepted names the jobs it knowingly overlaps, as
  -- '<row id>:<id>,<id>' (set by the appointment handlers for this row only).
  accepted := current_setting('groundskeeper.accepted_overlaps', true);
  IF accepted IS NOT NULL AND split_part(accepted, ':', 1) = NEW."id"::text THEN
    kept := to_jsonb(string_to_array(split_part(accepted, ':', 2), ','));
  END IF;
  INSERT INTO "sync_outbox" ("mutation_id", "table_name", "row_id", "hlc", "fields", "base", "accepted", "versions")
    VALUES (gen_random_uuid(), TG_TABLE_NAME, NEW."id", stamp, fields, coalesce(base, '{}'::jsonb), kept,
            CASE WHEN derived THEN stamped END);
  INSERT INTO "sync_versions" ("table_name", "row_id", "versions")
    VALUES (TG_TABLE_NAME, NEW."id", stamped)
  ON CONFLICT ("table_name", "row_id")
    DO UPDATE SET "versions" = "sync_versions"."versions" || EXCLUDED."versions";
  -- Wakes the sync loop when the transaction commits (repeats within one are merged).
  PERFORM pg_notify('sync_outbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "sync_capture_inserts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stamp text;
  derived boolean;
  accepted text;
  money text[];
  versions jsonb;
  unsynced text[];
BEGIN
  IF coalesce(current_setting('groundskeeper.applying', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "inserted") THEN
    RETURN NULL;
  END IF;
  stamp := "sync_tick"();
  derived := coalesce(current_setting('groundskeeper.derived', true), '') = 'on';
  accepted := current_setting('groundskeeper.accepted_overlaps', true);
  SELECT coalesce(array_agg(ltrim(col, '$')) FILTER (WHERE left(col, 1) = '$'), '{}'),
         jsonb_object_agg(ltrim(col, '$'), CASE WHEN derived THEN '!' || stamp ELSE stamp END)
    INTO money, versions
    FROM unnest(TG_ARGV) AS col;
  -- Every row of a transition table has the same columns: the first one names them.
  SELECT coalesce(array_agg(k), '{}') INTO unsynced
    FROM jsonb_object_keys((SELECT to_jsonb(i) FROM "inserted" i LIMIT 1)) AS k
    WHERE NOT versions ? k;
  INSERT INTO "sync_outbox" ("mutation_id", "table_name", "row_id", "hlc", "fields", "base", "accepted", "versions")
  SELECT gen_random_uuid(), TG_TABLE_NAME, r."id", stamp,
    (r."n" - unsynced) || coalesce(
      (SELECT jsonb_object_agg(m, to_jsonb(r."n" ->> m)) FROM unnest(money) AS m
        WHERE r."n" -> m <> 'null'::jsonb), '{}'::jsonb),
    -- A lookup per row by the key, not a join: the planner cannot size a transition
    -- table and would read all of sync_versions.
    coalesce((SELECT v."versions" FROM "sync_versions" v
              WHERE v."table_name" = TG_TABLE_NAME AND v."row_id" = r."id"), '{}'::jsonb),
    CASE WHEN accepted IS NOT NULL AND split_part(accepted, ':', 1) = r."id"::text
         THEN to_jsonb(string_to_array(split_part(accepted, ':', 2), ',')) END,
    CASE WHEN derived THEN versions END
  FROM (SELECT i."id", to_jsonb(i) AS "n" FROM "inserted" i) r;
  INSERT INTO "sync_versions" ("table_name", "row_id", "versions")
  SELECT TG_TABLE_NAME, i."id", versions FROM "inserted" i
  ON CONFLICT ("table_name", "row_id")
    DO UPDATE SET "versions" = "sync_versions"."versions" || EXCLUDED."versions";
  -- Wakes the sync loop when the transaction commits (repeats within one are merged).
  PERFORM pg_notify('sync_outbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The series' writes made before this migration carry plain versions: those of visits
-- the series still governs (not exceptions) are marked now, as had they been written
-- after it, but for the status and its times, which people change without making the
-- visit an exception (a crew starting or completing it). The same goes for the writes
-- still waiting in the outbox, and for rows pulled and waiting in the inbox. The central
-- server marks its copies likewise (its migration 0010).
CREATE FUNCTION "series_marked_versions"("versions" jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(e.key, CASE
    WHEN e.key IN ('status', 'started_at', 'completed_at') OR left(e.value, 1) = '!' THEN e.value
    ELSE '!' || e.value END), '{}'::jsonb)
  FROM jsonb_each_text("versions") AS e
$$;
--> statement-breakpoint
UPDATE "sync_versions" v
SET "versions" = "series_marked_versions"(v."versions")
FROM "appointments" a
WHERE v."table_name" = 'appointments' AND v."row_id" = a."id"
  AND a."series_id" IS NOT NULL AND NOT a."series_exception";
--> statement-breakpoint
UPDATE "sync_outbox" o
SET "versions" = "series_marked_versions"(coalesce(o."versions",
  (SELECT jsonb_object_agg(k, o."hlc") FROM jsonb_object_keys(o."fields") AS k)))
FROM "appointments" a
WHERE o."table_name" = 'appointments' AND o."row_id" = a."id"
  AND a."series_id" IS NOT NULL AND NOT a."series_exception";
--> statement-breakpoint
UPDATE "sync_inbox" i
SET "versions" = "series_marked_versions"(i."versions")
WHERE i."table_name" = 'appointments' AND i."values" ->> 'series_id' IS NOT NULL
  AND NOT coalesce((i."values" ->> 'series_exception')::boolean, false);
--> statement-breakpoint
DROP FUNCTION "series_marked_versions"(jsonb);
