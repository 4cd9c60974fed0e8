import type pg from 'pg'

/**
 * State the server's own workers keep in its database's `app_settings` (never synced;
 * every instance shares it, and a restarted one finds it): JSON under a key.
 */
export async function readAppState<T>(pool: pg.Pool, key: string): Promise<Partial<T> | null> {
  const { rows } = await pool.query<{ value: Partial<T> }>(
    'SELECT value FROM app_settings WHERE key = $1',
    [key],
  )
  return rows[0]?.value ?? null
}

export async function writeAppState<T>(pool: pg.Pool, key: string, value: T): Promise<void> {
  await pool.query(
    `INSERT INTO app_settings (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  )
}
