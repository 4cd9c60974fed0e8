-- Sending a laptop's rows again looks up each row's waiting writes: by the row, not by
-- reading the whole outbox once per row.
CREATE INDEX "sync_outbox_row_idx" ON "sync_outbox" USING btree ("table_name","row_id");
