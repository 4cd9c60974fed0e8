-- Inserts are captured per statement: a statement inserting many rows (a series booking
-- its visits, an import) takes one clock value and writes its outbox entries and field
-- versions in two set-based statements, instead of one trigger run per row (each of
-- which updated the clock's single row again: slower with every row of the
-- transaction). What is recorded is unchanged: every field of each new row, its base
-- versions, a double booking the user accepted. Updates stay captured per row.
CREATE FUNCTION "sync_capture_inserts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stamp text;
  accepted text;
BEGIN
  IF coalesce(current_setting('groundskeeper.applying', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "inserted") THEN
    RETURN NULL;
  END IF;
  stamp := "sync_tick"();
  accepted := current_setting('groundskeeper.accepted_overlaps', true);
  WITH "rows" AS (
    SELECT r."id", r."n", row_number() OVER () AS "ord",
      (SELECT jsonb_object_agg(ltrim(col, '$'),
         CASE WHEN left(col, 1) = '$' AND (r."n" -> ltrim(col, '$')) <> 'null'::jsonb
              THEN to_jsonb(r."n" ->> ltrim(col, '$'))
              ELSE r."n" -> ltrim(col, '$') END)
       FROM unnest(TG_ARGV) AS col) AS "fields"
    FROM (SELECT i."id", to_jsonb(i) AS "n" FROM "inserted" i) r
  ), "queued" AS (
    INSERT INTO "sync_outbox" ("mutation_id", "table_name", "row_id", "hlc", "fields", "base", "accepted")
    SELECT gen_random_uuid(), TG_TABLE_NAME, w."id", stamp, w."fields",
      -- A lookup per row by the key, not a join: the planner cannot size a transition
      -- table and would read all of sync_versions.
      coalesce((SELECT v."versions" FROM "sync_versions" v
                WHERE v."table_name" = TG_TABLE_NAME AND v."row_id" = w."id"), '{}'::jsonb),
      CASE WHEN accepted IS NOT NULL AND split_part(accepted, ':', 1) = w."id"::text
           THEN to_jsonb(string_to_array(split_part(accepted, ':', 2), ',')) END
    FROM "rows" w
    ORDER BY w."ord"
  )
  INSERT INTO "sync_versions" ("table_name", "row_id", "versions")
  SELECT TG_TABLE_NAME, w."id", (SELECT jsonb_object_agg(k, stamp) FROM jsonb_object_keys(w."fields") AS k)
  FROM "rows" w
  ON CONFLICT ("table_name", "row_id")
    DO UPDATE SET "versions" = "sync_versions"."versions" || EXCLUDED."versions";
  -- Wakes the sync loop when the transaction commits (repeats within one are merged).
  PERFORM pg_notify('sync_outbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "business_settings_sync" AFTER UPDATE ON "business_settings"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('time_zone', 'working_hours', 'working_days', 'business_name', 'business_phone', 'reminder_lead_minutes', 'sending_hours', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "business_settings_sync_inserts" AFTER INSERT ON "business_settings" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('time_zone', 'working_hours', 'working_days', 'business_name', 'business_phone', 'reminder_lead_minutes', 'sending_hours', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "team_members_sync" AFTER UPDATE ON "team_members"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'email', 'phone', 'color', 'is_available', 'working_hours', 'working_days', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "team_members_sync_inserts" AFTER INSERT ON "team_members" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('name', 'email', 'phone', 'color', 'is_available', 'working_hours', 'working_days', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "clients_sync" AFTER UPDATE ON "clients"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'email', 'phone', 'address', 'postal_code', 'latitude', 'longitude', 'notes', 'notify_email', 'notify_sms', 'notify_off', 'locale', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "clients_sync_inserts" AFTER INSERT ON "clients" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('name', 'email', 'phone', 'address', 'postal_code', 'latitude', 'longitude', 'notes', 'notify_email', 'notify_sms', 'notify_off', 'locale', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "services_sync" AFTER UPDATE ON "services"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'description', 'priority', '$base_price', 'duration_minutes', 'is_active', 'weather_kind', 'weather_limits', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "services_sync_inserts" AFTER INSERT ON "services" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('name', 'description', 'priority', '$base_price', 'duration_minutes', 'is_active', 'weather_kind', 'weather_limits', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "products_sync" AFTER UPDATE ON "products"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'description', 'unit', '$unit_price', 'is_active', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "products_sync_inserts" AFTER INSERT ON "products" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('name', 'description', 'unit', '$unit_price', 'is_active', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "team_member_specialties_sync" AFTER UPDATE ON "team_member_specialties"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('team_member_id', 'service_id', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "team_member_specialties_sync_inserts" AFTER INSERT ON "team_member_specialties" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('team_member_id', 'service_id', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "time_off_sync" AFTER UPDATE ON "time_off"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('team_member_id', 'starts_on', 'ends_on', 'reason', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "time_off_sync_inserts" AFTER INSERT ON "time_off" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('team_member_id', 'starts_on', 'ends_on', 'reason', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "geocodes_sync" AFTER UPDATE ON "geocodes"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('query', 'latitude', 'longitude', 'label', 'looked_up_at', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "geocodes_sync_inserts" AFTER INSERT ON "geocodes" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('query', 'latitude', 'longitude', 'label', 'looked_up_at', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "weather_forecasts_sync" AFTER UPDATE ON "weather_forecasts"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('place', 'day', 'precipitation_mm', 'precipitation_probability', 'wind_kmh', 'gust_kmh', 'temp_min_c', 'temp_max_c', 'weather_code', 'fetched_at', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "weather_forecasts_sync_inserts" AFTER INSERT ON "weather_forecasts" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('place', 'day', 'precipitation_mm', 'precipitation_probability', 'wind_kmh', 'gust_kmh', 'temp_min_c', 'temp_max_c', 'weather_code', 'fetched_at', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "series_sync" AFTER UPDATE ON "series"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('root_id', 'client_id', 'service_id', 'team_member_id', 'rule', 'starts_on', 'ends_on', 'start_time', 'duration_minutes', '$price', 'notes', 'location', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "series_sync_inserts" AFTER INSERT ON "series" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('root_id', 'client_id', 'service_id', 'team_member_id', 'rule', 'starts_on', 'ends_on', 'start_time', 'duration_minutes', '$price', 'notes', 'location', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "appointments_sync" AFTER UPDATE ON "appointments"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('client_id', 'service_id', 'team_member_id', 'scheduled_at', 'duration_minutes', 'status', 'notes', 'location', '$price', 'follow_up_of_id', 'started_at', 'completed_at', 'series_id', 'series_occurrence', 'series_exception', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "appointments_sync_inserts" AFTER INSERT ON "appointments" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('client_id', 'service_id', 'team_member_id', 'scheduled_at', 'duration_minutes', 'status', 'notes', 'location', '$price', 'follow_up_of_id', 'started_at', 'completed_at', 'series_id', 'series_occurrence', 'series_exception', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "appointment_products_sync" AFTER UPDATE ON "appointment_products"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('appointment_id', 'product_id', '$quantity', '$unit_price', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "appointment_products_sync_inserts" AFTER INSERT ON "appointment_products" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('appointment_id', 'product_id', '$quantity', '$unit_price', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "notification_templates_sync" AFTER UPDATE ON "notification_templates"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('kind', 'channel', 'locale', 'version', 'subject', 'body', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "notification_templates_sync_inserts" AFTER INSERT ON "notification_templates" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('kind', 'channel', 'locale', 'version', 'subject', 'body', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "notifications_sync" AFTER UPDATE ON "notifications"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('kind', 'channel', 'client_id', 'appointment_id', 'recipient', 'visit_at', 'previous_visit_at', 'due_at', 'status', 'attempts', 'provider_id', 'reason', 'detail', 'subject', 'body', 'template_version', 'sent_at', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "notifications_sync_inserts" AFTER INSERT ON "notifications" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('kind', 'channel', 'client_id', 'appointment_id', 'recipient', 'visit_at', 'previous_visit_at', 'due_at', 'status', 'attempts', 'provider_id', 'reason', 'detail', 'subject', 'body', 'template_version', 'sent_at', 'deleted_at');
