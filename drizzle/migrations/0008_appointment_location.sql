-- Where a job is done when that is not the client's address: a postcode or an address,
-- free text, NULL for the client's address. A nullable column is a catalog-only change,
-- cheap on the central server's large live table. The check is added NOT VALID: every
-- existing row holds NULL, which it allows, so scanning the table under this migration's
-- exclusive lock would prove nothing; every write from now on is checked.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "location" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_location_check" CHECK ("appointments"."location" is null or length(btrim(location)) between 1 and 500) NOT VALID;--> statement-breakpoint
-- The capture trigger names the synced columns (0005): without `location` among them a
-- changed location would never reach the outbox, and so never another laptop.
CREATE OR REPLACE TRIGGER "appointments_sync" AFTER INSERT OR UPDATE ON "appointments"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('client_id', 'service_id', 'team_member_id', 'scheduled_at', 'duration_minutes', 'status', 'notes', 'location', '$price', 'follow_up_of_id', 'started_at', 'completed_at', 'deleted_at');
