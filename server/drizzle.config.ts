import { defineConfig } from 'drizzle-kit'

/** The server's own tables: a second migration history beside the domain's. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/schema.ts',
  out: './server/migrations',
})
