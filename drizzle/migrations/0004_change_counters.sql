CREATE TABLE "change_counters" (
	"name" text PRIMARY KEY NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE FUNCTION "change_counters_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "change_counters" ("name", "n") VALUES (TG_ARGV[0], 1)
  ON CONFLICT ("name") DO UPDATE SET "n" = "change_counters"."n" + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "clients_names_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "clients"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_counters_bump"('names');
--> statement-breakpoint
CREATE TRIGGER "services_names_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "services"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_counters_bump"('names');
--> statement-breakpoint
INSERT INTO "change_counters" ("name", "n") VALUES ('names', 1);
