-- Recurring visits and crew working hours: the series table (synced), each visit's link
-- to its series segment and the day it stands for, and each crew member's own working
-- hours and days. New columns are nullable or carry constant defaults (catalog-only
-- changes on the central server's tables); checks and the reference on the existing
-- tables are added NOT VALID: existing rows hold nulls and defaults.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
CREATE TABLE "series" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"root_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"team_member_id" uuid,
	"rule" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"price" numeric(10, 2) NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"location" text,
	CONSTRAINT "series_rule_check" CHECK ("series"."rule" ~ '^FREQ=' and length("series"."rule") <= 300),
	CONSTRAINT "series_range_check" CHECK ("series"."ends_on" is null or "series"."ends_on" >= "series"."starts_on"),
	CONSTRAINT "series_start_time_check" CHECK ("series"."start_time" ~ '^[0-9]{2}:[0-9]{2}$'),
	CONSTRAINT "series_duration_check" CHECK ("series"."duration_minutes" between 1 and 1440),
	CONSTRAINT "series_price_check" CHECK ("series"."price" >= 0),
	CONSTRAINT "series_notes_check" CHECK (length("series"."notes") <= 10000),
	CONSTRAINT "series_location_check" CHECK ("series"."location" is null or length(btrim(location)) between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "series_occurrence" date;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "series_exception" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "team_members" ADD COLUMN "working_hours" text;--> statement-breakpoint
ALTER TABLE "team_members" ADD COLUMN "working_days" text;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_team_member_id_team_members_id_fk" FOREIGN KEY ("team_member_id") REFERENCES "public"."team_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "series_root_idx" ON "series" USING btree ("root_id","starts_on");--> statement-breakpoint
CREATE INDEX "series_client_idx" ON "series" USING btree ("client_id");--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_series_id_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."series"("id") ON DELETE no action ON UPDATE no action NOT VALID;--> statement-breakpoint
CREATE INDEX "appointments_series_idx" ON "appointments" USING btree ("series_id","series_occurrence");--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_series_check" CHECK (("appointments"."series_id" is null) = ("appointments"."series_occurrence" is null)) NOT VALID;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_working_hours_check" CHECK ("team_members"."working_hours" is null or "team_members"."working_hours" ~ '^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$') NOT VALID;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_working_days_check" CHECK ("team_members"."working_days" is null or "team_members"."working_days" ~ '^[0-6](,[0-6])*$') NOT VALID;--> statement-breakpoint
-- The capture triggers name the synced columns (0005): the new columns join theirs, and
-- the series table syncs from the start.
CREATE OR REPLACE TRIGGER "team_members_sync" AFTER INSERT OR UPDATE ON "team_members"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'email', 'phone', 'color', 'is_available', 'working_hours', 'working_days', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "appointments_sync" AFTER INSERT OR UPDATE ON "appointments"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('client_id', 'service_id', 'team_member_id', 'scheduled_at', 'duration_minutes', 'status', 'notes', 'location', '$price', 'follow_up_of_id', 'started_at', 'completed_at', 'series_id', 'series_occurrence', 'series_exception', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "series_sync" AFTER INSERT OR UPDATE ON "series"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('root_id', 'client_id', 'service_id', 'team_member_id', 'rule', 'starts_on', 'ends_on', 'start_time', 'duration_minutes', '$price', 'notes', 'location', 'deleted_at');
