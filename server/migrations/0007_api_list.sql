-- The REST list of appointments (server/api/appointment-queries.ts) reads live rows only,
-- newest first, counts date ranges, and filters by status and by crew. This index holds
-- exactly those rows and columns, so a page's ids and a range's count are index-only
-- scans (no visit to the table's rows; once vacuumed): a week filtered by status reads
-- about a thousand entries. Names are joined afterwards for the page's 20 rows only.
-- Built under a lock that holds writes to appointments back: give up rather than queue
-- behind a long transaction.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "appointments_live_list_idx" ON "appointments" USING btree ("scheduled_at", "id") INCLUDE ("status", "team_member_id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
-- Live appointments per day (UTC) and status, kept by statement-level triggers in the
-- writing transaction, as appointment_counts (domain migration 0003) keeps them per
-- status. A deep page (offset 50,000 of the whole list) then starts at the day its first
-- row falls on, found by adding up these counts, and skips only that day's rows before
-- it, instead of 50,000 index entries. Exact, because the counts commit with the rows.
CREATE TABLE "appointment_day_counts" (
	"day" date NOT NULL,
	"status" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "appointment_day_counts_pk" PRIMARY KEY ("day", "status")
);
--> statement-breakpoint
CREATE FUNCTION "appointment_day_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "appointment_day_counts";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "appointment_day_counts" ("day", "status", "n")
      SELECT ("scheduled_at" AT TIME ZONE 'UTC')::date, "status", count(*) FROM "day_counts_new"
      WHERE "deleted_at" IS NULL GROUP BY 1, 2
    ON CONFLICT ("day", "status") DO UPDATE SET "n" = "appointment_day_counts"."n" + EXCLUDED."n";
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "appointment_day_counts" ("day", "status", "n")
      SELECT ("scheduled_at" AT TIME ZONE 'UTC')::date, "status", -count(*) FROM "day_counts_old"
      WHERE "deleted_at" IS NULL GROUP BY 1, 2
    ON CONFLICT ("day", "status") DO UPDATE SET "n" = "appointment_day_counts"."n" + EXCLUDED."n";
  ELSE
    INSERT INTO "appointment_day_counts" ("day", "status", "n")
      SELECT "day", "status", sum("d") FROM (
        SELECT ("scheduled_at" AT TIME ZONE 'UTC')::date AS "day", "status", 1 AS "d"
          FROM "day_counts_new" WHERE "deleted_at" IS NULL
        UNION ALL
        SELECT ("scheduled_at" AT TIME ZONE 'UTC')::date, "status", -1
          FROM "day_counts_old" WHERE "deleted_at" IS NULL
      ) AS "delta"
      GROUP BY "day", "status" HAVING sum("d") <> 0
    ON CONFLICT ("day", "status") DO UPDATE SET "n" = "appointment_day_counts"."n" + EXCLUDED."n";
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "appointment_day_counts_insert" AFTER INSERT ON "appointments"
  REFERENCING NEW TABLE AS "day_counts_new"
  FOR EACH STATEMENT EXECUTE FUNCTION "appointment_day_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "appointment_day_counts_update" AFTER UPDATE ON "appointments"
  REFERENCING OLD TABLE AS "day_counts_old" NEW TABLE AS "day_counts_new"
  FOR EACH STATEMENT EXECUTE FUNCTION "appointment_day_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "appointment_day_counts_delete" AFTER DELETE ON "appointments"
  REFERENCING OLD TABLE AS "day_counts_old"
  FOR EACH STATEMENT EXECUTE FUNCTION "appointment_day_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "appointment_day_counts_truncate" AFTER TRUNCATE ON "appointments"
  FOR EACH STATEMENT EXECUTE FUNCTION "appointment_day_counts_apply"();
--> statement-breakpoint
-- The rows already there, counted under the lock this migration holds on appointments
-- from its first statement (the index build), so no write slips between count and trigger.
INSERT INTO "appointment_day_counts" ("day", "status", "n")
  SELECT ("scheduled_at" AT TIME ZONE 'UTC')::date, "status", count(*) FROM "appointments"
  WHERE "deleted_at" IS NULL GROUP BY 1, 2;
