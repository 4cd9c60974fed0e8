-- Stage 3 of the priority rollout. Stage 2 (the batched backfill) must have run:
-- refuse, naming it, while any NULL remains, so nothing half-migrated is left behind.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM "services" WHERE "priority" IS NULL) THEN
    RAISE EXCEPTION 'services.priority still has NULL values'
      USING HINT = 'Run the priority backfill first: npm run db:backfill-priority -- --data-dir <dir>';
  END IF;
END $$;--> statement-breakpoint
ALTER TABLE "services" VALIDATE CONSTRAINT "services_priority_check";--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_priority_not_null" CHECK ("priority" IS NOT NULL) NOT VALID;--> statement-breakpoint
ALTER TABLE "services" VALIDATE CONSTRAINT "services_priority_not_null";--> statement-breakpoint
ALTER TABLE "services" ALTER COLUMN "priority" SET DEFAULT 'MEDIUM';--> statement-breakpoint
-- The validated check lets SET NOT NULL skip its own full-table scan.
ALTER TABLE "services" ALTER COLUMN "priority" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "services" DROP CONSTRAINT "services_priority_not_null";--> statement-breakpoint
CREATE INDEX "services_priority_idx" ON "services" USING btree ("priority");
