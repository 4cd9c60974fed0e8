-- The central database keeps each synced row in its domain table (the laptops' schema,
-- migrated above) and, in sync_rows, only its field versions and change number. Stage 1
-- of 3: the JSON copy of the values stops being written (new rows leave it NULL) while
-- the rows already stored are moved into the domain tables in short batches
-- (server/upgrade.ts). Stage 3 (0008) drops it once every row has moved.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
ALTER TABLE "sync_rows" ALTER COLUMN "values" DROP NOT NULL;
