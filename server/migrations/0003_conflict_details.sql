-- New columns are nullable (catalog-only changes). The crew index is built under a
-- lock that holds writes to sync_rows back while it builds: give up rather than queue
-- behind a long transaction.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD COLUMN "other_row_id" uuid;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD COLUMN "fields" jsonb;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD COLUMN "before" jsonb;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD COLUMN "hlc" text;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD COLUMN "other_device_id" uuid;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD COLUMN "other_hlc" text;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD COLUMN "resolution" text;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD COLUMN "resolved_by" uuid;--> statement-breakpoint
ALTER TABLE "sync_mutations" ADD COLUMN "table_name" text;--> statement-breakpoint
ALTER TABLE "sync_mutations" ADD COLUMN "row_id" uuid;--> statement-breakpoint
ALTER TABLE "sync_mutations" ADD COLUMN "hlc" text;--> statement-breakpoint
CREATE INDEX "sync_mutations_row_idx" ON "sync_mutations" USING btree ("table_name","row_id");--> statement-breakpoint
CREATE INDEX "sync_rows_appointment_crew_idx" ON "sync_rows" USING btree (("values"->>'team_member_id'),(left("values"->>'scheduled_at', 10) COLLATE "C")) WHERE "sync_rows"."table_name" = 'appointments';