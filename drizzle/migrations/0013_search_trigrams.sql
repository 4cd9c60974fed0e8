-- The appointment list's search matches a term anywhere in the client's name, the
-- service's name, the notes and the place (ILIKE '%term%'), which a btree cannot serve:
-- every search read all appointments. Trigram indexes (pg_trgm, a trusted contrib
-- extension: PGlite ships it, PostgreSQL 15 has it in contrib) find the rows holding
-- the term's three-letter pieces; PostgreSQL rechecks each candidate, so results are
-- exactly the ILIKE's. Built under a lock that holds writes back: give up rather than
-- queue behind a long transaction.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "appointments_notes_trgm_idx" ON "appointments" USING gin ("notes" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "appointments_location_trgm_idx" ON "appointments" USING gin ("location" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_name_trgm_idx" ON "clients" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "services_name_trgm_idx" ON "services" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
-- Live appointments by time with their status and crew: a list page's ids, a deep
-- offset and a date range's count (with or without a status) are then index-only scans
-- once the table is vacuumed, never visiting rows. The central server has had exactly
-- this index since its own migration 0007 (hence IF NOT EXISTS, and the same name and
-- definition); laptops get it here. Not in the Drizzle schema: Drizzle cannot declare
-- INCLUDE columns.
CREATE INDEX IF NOT EXISTS "appointments_live_list_idx" ON "appointments" USING btree ("scheduled_at", "id") INCLUDE ("status", "team_member_id") WHERE "deleted_at" IS NULL;
