ALTER TABLE "business_settings" ADD COLUMN "units" text;--> statement-breakpoint
ALTER TABLE "business_settings" ADD CONSTRAINT "business_settings_units_check" CHECK (units is null or units in ('metric', 'us'));--> statement-breakpoint
-- The capture triggers name the synced columns (0005, 0014): the business's units join
-- them, so a laptop's choice of units reaches the server and the other laptops.
CREATE OR REPLACE TRIGGER "business_settings_sync" AFTER UPDATE ON "business_settings"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('time_zone', 'working_hours', 'working_days', 'business_name', 'business_phone', 'reminder_lead_minutes', 'sending_hours', 'units', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "business_settings_sync_inserts" AFTER INSERT ON "business_settings" REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "sync_capture_inserts"('time_zone', 'working_hours', 'working_days', 'business_name', 'business_phone', 'reminder_lead_minutes', 'sending_hours', 'units', 'deleted_at');
