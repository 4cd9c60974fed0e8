-- The values the series' writes replaced in a visit, by field, each with the version it
-- had (shared/domain/series.ts `nextReplaced`): a crew's start that reaches the server
-- after series' changes it had not seen brings back the values the crew saw.
ALTER TABLE "sync_rows" ADD COLUMN "replaced" jsonb DEFAULT '{}'::jsonb NOT NULL;
