-- A row sent because this laptop held it before reaching the server (its data uploaded on
-- joining one, or sent again after a restore) is marked: the server takes it as the row it
-- was, not as a booking made now.
ALTER TABLE "sync_outbox" ADD COLUMN "uploaded" boolean DEFAULT false NOT NULL;