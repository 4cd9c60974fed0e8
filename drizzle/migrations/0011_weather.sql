-- Weather and time off: the forecast cache and looked-up addresses (synced, so laptops
-- read them offline), time off as date ranges per crew member, and each service's
-- weather kind and limits. New columns are nullable: catalog-only changes.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
CREATE TABLE "geocodes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"query" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"label" text,
	"looked_up_at" timestamp with time zone NOT NULL,
	CONSTRAINT "geocodes_query_check" CHECK (length("geocodes"."query") between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "time_off" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"team_member_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"reason" text DEFAULT '' NOT NULL,
	CONSTRAINT "time_off_range_check" CHECK ("time_off"."ends_on" is null or "time_off"."ends_on" >= "time_off"."starts_on"),
	CONSTRAINT "time_off_reason_check" CHECK (length("time_off"."reason") <= 200)
);
--> statement-breakpoint
CREATE TABLE "weather_forecasts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"place" text NOT NULL,
	"day" date NOT NULL,
	"precipitation_mm" double precision,
	"precipitation_probability" double precision,
	"wind_kmh" double precision,
	"gust_kmh" double precision,
	"temp_min_c" double precision,
	"temp_max_c" double precision,
	"weather_code" integer,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "weather_kind" text;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "weather_limits" text;--> statement-breakpoint
ALTER TABLE "time_off" ADD CONSTRAINT "time_off_team_member_id_team_members_id_fk" FOREIGN KEY ("team_member_id") REFERENCES "public"."team_members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "geocodes_query_key" ON "geocodes" USING btree ("query");--> statement-breakpoint
CREATE INDEX "time_off_member_idx" ON "time_off" USING btree ("team_member_id","starts_on");--> statement-breakpoint
CREATE UNIQUE INDEX "weather_forecasts_place_day_key" ON "weather_forecasts" USING btree ("place","day");--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_weather_kind_check" CHECK (weather_kind is null or weather_kind in ('mowing', 'spraying', 'planting', 'heavy', 'indoor'));--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_weather_limits_check" CHECK ("services"."weather_limits" is null or length("services"."weather_limits") <= 500);--> statement-breakpoint
-- The capture triggers name the synced columns (0005): the services' weather columns
-- join theirs, and the new tables sync from the start.
CREATE OR REPLACE TRIGGER "services_sync" AFTER INSERT OR UPDATE ON "services"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'description', 'priority', '$base_price', 'duration_minutes', 'is_active', 'weather_kind', 'weather_limits', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "time_off_sync" AFTER INSERT OR UPDATE ON "time_off"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('team_member_id', 'starts_on', 'ends_on', 'reason', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "weather_forecasts_sync" AFTER INSERT OR UPDATE ON "weather_forecasts"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('place', 'day', 'precipitation_mm', 'precipitation_probability', 'wind_kmh', 'gust_kmh', 'temp_min_c', 'temp_max_c', 'weather_code', 'fetched_at', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "geocodes_sync" AFTER INSERT OR UPDATE ON "geocodes"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('query', 'latitude', 'longitude', 'label', 'looked_up_at', 'deleted_at');
