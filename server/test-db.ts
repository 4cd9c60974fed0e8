import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'
import { PGLITE_EXTENSIONS } from '../drizzle/runner/pglite-extensions'

/**
 * A fresh database per test run: on the PostgreSQL this machine runs (trust auth on
 * 127.0.0.1:5432, or DATABASE_ADMIN_URL), dropped afterwards; where none is reachable,
 * an in-memory PGlite served over the PostgreSQL wire protocol, so the server's tests
 * still run. PGlite is one session, so that fallback allows one connection at a time.
 */
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  url: string
  kind: 'postgresql' | 'pglite'
  /** Pool size the database can take. */
  poolMax: number
  drop: () => Promise<void>
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

export async function freshDatabase(): Promise<TestDatabase> {
  if (!(await postgresReachable())) return pgliteDatabase()
  const name = `gk_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    kind: 'postgresql',
    poolMax: 10,
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL })
      await c.connect()
      // Connections still closing (a queue's pool stopping) are given a moment to go:
      // forcing them out makes their client raise an error nobody listens to any more.
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
          [name],
        )
        if (!rows[0]?.n) break
        await new Promise((r) => setTimeout(r, 100))
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

async function pgliteDatabase(): Promise<TestDatabase> {
  const db = await PGlite.create({ extensions: PGLITE_EXTENSIONS })
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 1 })
    try {
      await server.start()
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        kind: 'pglite',
        poolMax: 1,
        drop: async () => {
          await server.stop()
          await db.close()
        },
      }
    } catch {
      // The port was taken: try another.
    }
  }
  throw new Error('could not start a PGlite socket server')
}
