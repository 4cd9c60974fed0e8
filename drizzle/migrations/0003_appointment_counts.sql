CREATE TABLE "appointment_counts" (
	"status" text PRIMARY KEY NOT NULL,
	"n" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Statement-level triggers with transition tables: one aggregate per statement, so a
-- bulk COPY of 100,000 rows costs one GROUP BY, not 100,000 trigger calls. Each branch
-- names only the transition tables its event has.
CREATE FUNCTION "appointment_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "appointment_counts";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "appointment_counts" ("status", "n")
      SELECT "status", count(*) FROM "counts_new" WHERE "deleted_at" IS NULL GROUP BY "status"
    ON CONFLICT ("status") DO UPDATE SET "n" = "appointment_counts"."n" + EXCLUDED."n";
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "appointment_counts" ("status", "n")
      SELECT "status", -count(*) FROM "counts_old" WHERE "deleted_at" IS NULL GROUP BY "status"
    ON CONFLICT ("status") DO UPDATE SET "n" = "appointment_counts"."n" + EXCLUDED."n";
  ELSE
    INSERT INTO "appointment_counts" ("status", "n")
      SELECT "status", sum("d") FROM (
        SELECT "status", 1 AS "d" FROM "counts_new" WHERE "deleted_at" IS NULL
        UNION ALL
        SELECT "status", -1 FROM "counts_old" WHERE "deleted_at" IS NULL
      ) AS "delta"
      GROUP BY "status" HAVING sum("d") <> 0
    ON CONFLICT ("status") DO UPDATE SET "n" = "appointment_counts"."n" + EXCLUDED."n";
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "appointment_counts_insert" AFTER INSERT ON "appointments"
  REFERENCING NEW TABLE AS "counts_new"
  FOR EACH STATEMENT EXECUTE FUNCTION "appointment_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "appointment_counts_update" AFTER UPDATE ON "appointments"
  REFERENCING OLD TABLE AS "counts_old" NEW TABLE AS "counts_new"
  FOR EACH STATEMENT EXECUTE FUNCTION "appointment_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "appointment_counts_delete" AFTER DELETE ON "appointments"
  REFERENCING OLD TABLE AS "counts_old"
  FOR EACH STATEMENT EXECUTE FUNCTION "appointment_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "appointment_counts_truncate" AFTER TRUNCATE ON "appointments"
  FOR EACH STATEMENT EXECUTE FUNCTION "appointment_counts_apply"();
--> statement-breakpoint
INSERT INTO "appointment_counts" ("status", "n")
  SELECT "status", count(*) FROM "appointments" WHERE "deleted_at" IS NULL GROUP BY "status";
