CREATE TABLE "sync_clock" (
	"id" integer PRIMARY KEY NOT NULL,
	"node" text NOT NULL,
	"last" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_inbox" (
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"values" jsonb NOT NULL,
	"versions" jsonb NOT NULL,
	"seq" bigint NOT NULL,
	"rank" smallint NOT NULL,
	"error" text,
	CONSTRAINT "sync_inbox_table_name_row_id_pk" PRIMARY KEY("table_name","row_id")
);
--> statement-breakpoint
CREATE TABLE "sync_outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"mutation_id" uuid NOT NULL,
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"hlc" text NOT NULL,
	"fields" jsonb NOT NULL,
	"base" jsonb NOT NULL,
	"accepted" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_outbox_mutation_id_unique" UNIQUE("mutation_id")
);
--> statement-breakpoint
CREATE TABLE "sync_rejected" (
	"mutation_id" uuid PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"fields" jsonb NOT NULL,
	"reason" text NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_versions" (
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"versions" jsonb NOT NULL,
	CONSTRAINT "sync_versions_table_name_row_id_pk" PRIMARY KEY("table_name","row_id")
);
--> statement-breakpoint
DROP INDEX "products_name_live_key";--> statement-breakpoint
DROP INDEX "services_name_live_key";--> statement-breakpoint
CREATE INDEX "sync_inbox_apply_idx" ON "sync_inbox" USING btree ("rank","row_id");--> statement-breakpoint
CREATE INDEX "products_name_live_idx" ON "products" USING btree ("name") WHERE "products"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "services_name_live_idx" ON "services" USING btree ("name") WHERE "services"."deleted_at" is null;--> statement-breakpoint
-- The laptop's hybrid logical clock (shared/sync/hlc.ts), in SQL so that the triggers
-- below can stamp a write in its own transaction. The node id is made on first use, on
-- this machine: a database copied from the template does not share one.
CREATE FUNCTION "sync_tick"() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  clock record;
  wall bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
  ms bigint := 0;
  n integer := 0;
  stamp text;
BEGIN
  SELECT "node", "last" INTO clock FROM "sync_clock" WHERE "id" = 1 FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO "sync_clock" ("id", "node", "last")
      VALUES (1, substr(md5(random()::text || clock_timestamp()::text), 1, 16), '')
      ON CONFLICT ("id") DO NOTHING;
    SELECT "node", "last" INTO clock FROM "sync_clock" WHERE "id" = 1 FOR UPDATE;
  END IF;
  IF clock."last" <> '' THEN
    ms := substr(clock."last", 1, 15)::bigint;
    n := substr(clock."last", 17, 5)::integer;
  END IF;
  IF wall > ms THEN
    ms := wall;
    n := 0;
  ELSIF n >= 99999 THEN
    ms := ms + 1;
    n := 0;
  ELSE
    n := n + 1;
  END IF;
  stamp := lpad(ms::text, 15, '0') || '-' || lpad(n::text, 5, '0') || '-' || clock."node";
  UPDATE "sync_clock" SET "last" = stamp WHERE "id" = 1;
  RETURN stamp;
END $$;
--> statement-breakpoint
-- Records a local write of a synced row: the fields it changed (all of them for a new
-- row, or for a row that was never synced), stamped by the clock, into the outbox and
-- the row's field versions. Arguments: the synced columns; `$name` marks money, sent as
-- an exact decimal string. Writes applied from a pull set groundskeeper.applying and are
-- not recorded again.
CREATE FUNCTION "sync_capture"() RETURNS trigger LANGUAGE plpgsql AS $$
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
  -- A double booking the user accepted names the jobs it knowingly overlaps, as
  -- '<row id>:<id>,<id>' (set by the appointment handlers for this row only).
  accepted := current_setting('groundskeeper.accepted_overlaps', true);
  IF accepted IS NOT NULL AND split_part(accepted, ':', 1) = NEW."id"::text THEN
    kept := to_jsonb(string_to_array(split_part(accepted, ':', 2), ','));
  END IF;
  INSERT INTO "sync_outbox" ("mutation_id", "table_name", "row_id", "hlc", "fields", "base", "accepted")
    VALUES (gen_random_uuid(), TG_TABLE_NAME, NEW."id", stamp, fields, coalesce(base, '{}'::jsonb), kept);
  INSERT INTO "sync_versions" ("table_name", "row_id", "versions")
    SELECT TG_TABLE_NAME, NEW."id", jsonb_object_agg(k, stamp) FROM jsonb_object_keys(fields) AS k
  ON CONFLICT ("table_name", "row_id")
    DO UPDATE SET "versions" = "sync_versions"."versions" || EXCLUDED."versions";
  -- Wakes the sync loop when the transaction commits (repeats within one are merged).
  PERFORM pg_notify('sync_outbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "clients_sync" AFTER INSERT OR UPDATE ON "clients"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'email', 'phone', 'address', 'postal_code', 'latitude', 'longitude', 'notes', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "services_sync" AFTER INSERT OR UPDATE ON "services"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'description', 'priority', '$base_price', 'duration_minutes', 'is_active', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "products_sync" AFTER INSERT OR UPDATE ON "products"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'description', 'unit', '$unit_price', 'is_active', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "team_members_sync" AFTER INSERT OR UPDATE ON "team_members"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'email', 'phone', 'color', 'is_available', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "appointments_sync" AFTER INSERT OR UPDATE ON "appointments"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('client_id', 'service_id', 'team_member_id', 'scheduled_at', 'duration_minutes', 'status', 'notes', '$price', 'follow_up_of_id', 'started_at', 'completed_at', 'deleted_at');
--> statement-breakpoint
-- A live service or product name is unique on a laptop: a local write reusing one is
-- refused as a unique violation, as the unique index this replaces did. Rows merged
-- from other laptops are not refused: two laptops may each have added "Mulching"
-- offline, and both rows must arrive everywhere for the laptops to agree.
CREATE FUNCTION "live_name_unique"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  other uuid;
BEGIN
  IF NEW."deleted_at" IS NOT NULL
     OR coalesce(current_setting('groundskeeper.applying', true), '') = 'on'
     OR (TG_OP = 'UPDATE' AND OLD."name" = NEW."name" AND OLD."deleted_at" IS NULL) THEN
    RETURN NEW;
  END IF;
  EXECUTE format(
    'SELECT "id" FROM %I WHERE "name" = $1 AND "deleted_at" IS NULL AND "id" <> $2 LIMIT 1',
    TG_TABLE_NAME
  ) INTO other USING NEW."name", NEW."id";
  IF other IS NOT NULL THEN
    RAISE EXCEPTION 'a live % row already has this name', TG_TABLE_NAME
      USING ERRCODE = 'unique_violation', CONSTRAINT = TG_TABLE_NAME || '_name_live_key';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "services_name_unique" BEFORE INSERT OR UPDATE OF "name", "deleted_at" ON "services"
  FOR EACH ROW EXECUTE FUNCTION "live_name_unique"();
--> statement-breakpoint
CREATE TRIGGER "products_name_unique" BEFORE INSERT OR UPDATE OF "name", "deleted_at" ON "products"
  FOR EACH ROW EXECUTE FUNCTION "live_name_unique"();
