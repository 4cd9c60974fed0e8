-- The REST list of appointments (server/api/appointment-queries.ts) reads live rows only,
-- newest first, counts date ranges, and filters by status and by crew. This index holds
-- exactly those rows and columns, so a page's ids, a deep offset and a range's count are
-- index-only scans (no visit to the table's rows; once vacuumed): at 100,000 appointments
-- an offset of 50,000 skips index entries, and a week filtered by status reads about a
-- thousand of them. Names are joined afterwards for the page's 20 rows only.
-- Built under a lock that holds writes to appointments back: give up rather than queue
-- behind a long transaction.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "appointments_live_list_idx" ON "appointments" USING btree ("scheduled_at", "id") INCLUDE ("status", "team_member_id") WHERE "deleted_at" IS NULL;
