import type { PGlite, Transaction } from '@electric-sql/pglite'

/**
 * This laptop's own settings and progress by key (`app_settings`, never synced), as
 * small JSON values: the senders' providers, the notifier's cursor, the forecast
 * refresh's addresses and last run.
 */
type Queryable = PGlite | Transaction

export async function readAppSetting<T>(pg: Queryable, key: string): Promise<T | undefined> {
  const { rows } = await pg.query<{ value: T }>('SELECT value FROM app_settings WHERE key = $1', [
    key,
  ])
  return rows[0]?.value
}

/** Saves a value under its key; null removes the key. */
export async function writeAppSetting(pg: Queryable, key: string, value: unknown): Promise<void> {
  if (value === null) await pg.query('DELETE FROM app_settings WHERE key = $1', [key])
  else
    await pg.query(
      `INSERT INTO app_settings (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    )
}
