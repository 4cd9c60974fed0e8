-- Which copy of the central database this is (server/pull.ts): given a new value when the
-- database is restored from a backup (`npm run server:restored`), so that every laptop
-- sends what it holds and pulls everything again.
CREATE TABLE "sync_epoch" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL CHECK ("id" = 1),
	"epoch" uuid DEFAULT gen_random_uuid() NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
INSERT INTO "sync_epoch" DEFAULT VALUES;
