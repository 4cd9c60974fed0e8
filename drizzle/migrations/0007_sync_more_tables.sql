CREATE TABLE "business_settings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"time_zone" text,
	"working_hours" text,
	"working_days" text
);
--> statement-breakpoint
-- A pair's id is made from the pair, so that every laptop gives the same specialty the
-- same id (see the trigger below): an RFC 9562 version 8 (custom) UUID from its md5.
CREATE FUNCTION "specialty_id"("team_member" uuid, "service" uuid) RETURNS uuid
  LANGUAGE sql IMMUTABLE AS $$
  SELECT (substr(h, 1, 12) || '8' || substr(h, 14, 3)
    || substr('89ab', get_byte(decode(substr(h, 17, 2), 'hex'), 0) % 4 + 1, 1)
    || substr(h, 18, 15))::uuid
  FROM md5("team_member"::text || ':' || "service"::text) AS h
$$;
--> statement-breakpoint
ALTER TABLE "team_member_specialties" DROP CONSTRAINT "team_member_specialties_team_member_id_service_id_pk";--> statement-breakpoint
ALTER TABLE "team_member_specialties" ADD COLUMN "id" uuid;--> statement-breakpoint
UPDATE "team_member_specialties" SET "id" = "specialty_id"("team_member_id", "service_id");--> statement-breakpoint
ALTER TABLE "team_member_specialties" ALTER COLUMN "id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "team_member_specialties" ADD PRIMARY KEY ("id");--> statement-breakpoint
ALTER TABLE "team_member_specialties" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "team_member_specialties" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "team_member_specialties_pair_key" ON "team_member_specialties" USING btree ("team_member_id","service_id");--> statement-breakpoint
CREATE FUNCTION "specialty_set_id"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."id" := "specialty_id"(NEW."team_member_id", NEW."service_id");
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "team_member_specialties_id" BEFORE INSERT OR UPDATE OF "team_member_id", "service_id" ON "team_member_specialties"
  FOR EACH ROW EXECUTE FUNCTION "specialty_set_id"();
--> statement-breakpoint
-- The business settings move out of this laptop's own settings into the synced row.
INSERT INTO "business_settings" ("id", "time_zone", "working_hours", "working_days", "updated_at")
  SELECT '00000000-0000-4000-8000-000000000001', "value" ->> 'timeZone',
    ("value" -> 'workingHours' ->> 'start') || '-' || ("value" -> 'workingHours' ->> 'end'),
    (SELECT string_agg(d, ',') FROM jsonb_array_elements_text("value" -> 'workingHours' -> 'days') AS d),
    "updated_at"
  FROM "app_settings" WHERE "key" = 'business';
--> statement-breakpoint
DELETE FROM "app_settings" WHERE "key" = 'business';
--> statement-breakpoint
CREATE TRIGGER "business_settings_sync" AFTER INSERT OR UPDATE ON "business_settings"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('time_zone', 'working_hours', 'working_days', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "team_member_specialties_sync" AFTER INSERT OR UPDATE ON "team_member_specialties"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('team_member_id', 'service_id', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "appointment_products_sync" AFTER INSERT OR UPDATE ON "appointment_products"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('appointment_id', 'product_id', '$quantity', '$unit_price', 'deleted_at');
