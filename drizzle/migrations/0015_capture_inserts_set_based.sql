-- The insert capture builds each new row's fields by removing the columns that are not
-- synced from the whole row (one operation a row) instead of gathering the synced ones
-- one by one, and writes the same field versions to every row of the statement (all its
-- fields, stamped once). A series' 24 visits: about 5 ms of capture to 2 ms. What is
-- recorded is unchanged: every synced field of each new row (money as an exact decimal
-- string), its base versions, a double booking the user accepted.
CREATE OR REPLACE FUNCTION "sync_capture_inserts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stamp text;
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
  accepted := current_setting('groundskeeper.accepted_overlaps', true);
  SELECT coalesce(array_agg(ltrim(col, '$')) FILTER (WHERE left(col, 1) = '$'), '{}'),
         jsonb_object_agg(ltrim(col, '$'), stamp)
    INTO money, versions
    FROM unnest(TG_ARGV) AS col;
  -- Every row of a transition table has the same columns: the first one names them.
  SELECT coalesce(array_agg(k), '{}') INTO unsynced
    FROM jsonb_object_keys((SELECT to_jsonb(i) FROM "inserted" i LIMIT 1)) AS k
    WHERE NOT versions ? k;
  INSERT INTO "sync_outbox" ("mutation_id", "table_name", "row_id", "hlc", "fields", "base", "accepted")
  SELECT gen_random_uuid(), TG_TABLE_NAME, r."id", stamp,
    (r."n" - unsynced) || coalesce(
      (SELECT jsonb_object_agg(m, to_jsonb(r."n" ->> m)) FROM unnest(money) AS m
        WHERE r."n" -> m <> 'null'::jsonb), '{}'::jsonb),
    -- A lookup per row by the key, not a join: the planner cannot size a transition
    -- table and would read all of sync_versions.
    coalesce((SELECT v."versions" FROM "sync_versions" v
              WHERE v."table_name" = TG_TABLE_NAME AND v."row_id" = r."id"), '{}'::jsonb),
    CASE WHEN accepted IS NOT NULL AND split_part(accepted, ':', 1) = r."id"::text
         THEN to_jsonb(string_to_array(split_part(accepted, ':', 2), ',')) END
  FROM (SELECT i."id", to_jsonb(i) AS "n" FROM "inserted" i) r;
  INSERT INTO "sync_versions" ("table_name", "row_id", "versions")
  SELECT TG_TABLE_NAME, i."id", versions FROM "inserted" i
  ON CONFLICT ("table_name", "row_id")
    DO UPDATE SET "versions" = "sync_versions"."versions" || EXCLUDED."versions";
  -- Wakes the sync loop when the transaction commits (repeats within one are merged).
  PERFORM pg_notify('sync_outbox', '');
  RETURN NULL;
END $$;
