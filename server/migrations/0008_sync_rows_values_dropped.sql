-- Stage 3 of moving the rows' values into the domain tables: once every stored row has
-- moved (or was set aside in sync_rows_unplaced with its reason), the JSON copy goes.
-- Refused while any row has not moved: nothing is dropped that is not kept elsewhere.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
DO $$
DECLARE
  t text;
  left_over bigint;
BEGIN
  FOR t IN SELECT DISTINCT table_name FROM "sync_rows" WHERE "values" IS NOT NULL LOOP
    EXECUTE format(
      'SELECT count(*) FROM "sync_rows" s WHERE s.table_name = %L AND s."values" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM %I d WHERE d.id = s.row_id)
         AND NOT EXISTS (SELECT 1 FROM "sync_rows_unplaced" u
                         WHERE u.table_name = s.table_name AND u.row_id = s.row_id)',
      t, t) INTO left_over;
    IF left_over > 0 THEN
      RAISE EXCEPTION '% rows of % have not moved into their table yet: run the server once to finish the upgrade', left_over, t;
    END IF;
  END LOOP;
END $$;--> statement-breakpoint
ALTER TABLE "sync_rows" DROP COLUMN "values";
