-- A row's field versions may be stored as one value for every field (`version`) with
-- the fields written since in `versions`: how a first pull stores the rows it loads
-- whole. Its readers expand it over the table's columns (`sync_versions_expanded`: the
-- capture triggers with their column lists, the app's queries with the table's fields);
-- the triggers' merge of new versions (`versions || new`) keeps the rest on the value.
ALTER TABLE "sync_versions" ADD COLUMN "version" text;--> statement-breakpoint
-- A row's versions expanded over the table's columns (a money column's name may carry
-- the triggers' '$' mark): what every reader in SQL merges against.
CREATE FUNCTION "sync_versions_expanded"("versions" jsonb, "version" text, "columns" text[])
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN "version" IS NULL THEN "versions"
    ELSE (SELECT jsonb_object_agg(ltrim(c, '$'), "version") FROM unnest("columns") AS c) || "versions" END
$$;
--> statement-breakpoint
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
  SELECT "sync_versions_expanded"(v."versions", v."version", TG_ARGV)
    INTO base FROM "sync_versions" v
    WHERE v."table_name" = TG_TABLE_NAME AND v."row_id" = NEW."id";
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
    coalesce((SELECT "sync_versions_expanded"(v."versions", v."version", TG_ARGV)
              FROM "sync_versions" v
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
