-- Stage 1 of the priority rollout: a nullable column is a catalog-only change,
-- cheap on a large live table. Existing rows stay NULL until the backfill.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "priority" text;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_priority_check" CHECK (priority in ('LOW', 'MEDIUM', 'HIGH')) NOT VALID;
