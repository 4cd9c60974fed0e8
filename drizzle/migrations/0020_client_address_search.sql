-- The appointment list's search also finds a job by its client's address or postal
-- code ("Elm Street", "62704"): trigram indexes serve those as they serve the name.
CREATE INDEX "clients_address_trgm_idx" ON "clients" USING gin ("address" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_postal_code_trgm_idx" ON "clients" USING gin ("postal_code" gin_trgm_ops);
