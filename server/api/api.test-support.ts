import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type pg from 'pg'
import { uuidv7 } from '../../shared/domain/ids'
import { buildServer, type ServerOptions } from '../app'
import { createPool, migrateServer } from '../db'
import { freshDatabase, type TestDatabase } from '../test-db'
import { createDevice } from '../tokens'

/**
 * A central database with a small business in it, the server in front of it, and a
 * device token per role, for the REST API's tests. Rows are written straight into the
 * domain tables, as the server's merge writes them (`groundskeeper.applying` keeps the
 * laptops' capture triggers quiet), with their versions in `sync_rows`.
 */
export interface Business {
  crew: { ana: string; ben: string }
  services: { mowing: string; hedges: string; archived: string; deleted: string }
  clients: { john: string; jane: string; gone: string }
}

export async function asServer(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<void>) {
  const c = await pool.connect()
  try {
    await c.query('BEGIN')
    await c.query("SET LOCAL groundskeeper.applying = 'on'")
    await fn(c)
    await c.query('COMMIT')
  } catch (e) {
    await c.query('ROLLBACK')
    throw e
  } finally {
    c.release()
  }
}

export async function seedBusiness(pool: pg.Pool): Promise<Business> {
  const b: Business = {
    crew: { ana: uuidv7(), ben: uuidv7() },
    services: { mowing: uuidv7(), hedges: uuidv7(), archived: uuidv7(), deleted: uuidv7() },
    clients: { john: uuidv7(), jane: uuidv7(), gone: uuidv7() },
  }
  await asServer(pool, async (c) => {
    await c.query(
      `INSERT INTO team_members (id, name, color) VALUES ($1, 'Ana Crew', '#2e7d32'), ($2, 'Ben Crew', '#1565c0')`,
      [b.crew.ana, b.crew.ben],
    )
    await c.query(
      `INSERT INTO services (id, name, base_price, duration_minutes, is_active, deleted_at) VALUES
        ($1, 'Lawn mowing', 45.00, 60, true, NULL),
        ($2, 'Hedge trimming', 65.50, 90, true, NULL),
        ($3, 'Snow clearing', 80.00, 120, false, NULL),
        ($4, 'Leaf blowing', 30.00, 30, true, now())`,
      [b.services.mowing, b.services.hedges, b.services.archived, b.services.deleted],
    )
    await c.query(
      `INSERT INTO clients (id, name, email, postal_code, latitude, longitude, deleted_at) VALUES
        ($1, 'John Doe', 'john@example.com', 'SW1A 1AA', 51.501009, -0.141588, NULL),
        ($2, 'Jane Smith', NULL, NULL, NULL, NULL, NULL),
        ($3, 'Gone Client', NULL, NULL, NULL, NULL, now())`,
      [b.clients.john, b.clients.jane, b.clients.gone],
    )
    await c.query(
      `INSERT INTO team_member_specialties (id, team_member_id, service_id, deleted_at) VALUES
        ($1, $3, $4, NULL), ($2, $3, $5, now()), ($6, $7, $8, NULL)`,
      [
        uuidv7(),
        uuidv7(),
        b.crew.ana,
        b.services.mowing,
        b.services.hedges,
        uuidv7(),
        b.crew.ben,
        b.services.deleted,
      ],
    )
  })
  return b
}

export interface Job {
  client: string
  service: string
  at: string
  status?: string
  notes?: string
  crew?: string | null
  location?: string | null
  deleted?: boolean
}

/** Appointments written as the server's merge writes them; returns their ids in order. */
export async function seedJobs(pool: pg.Pool, jobs: readonly Job[]): Promise<string[]> {
  const ids = jobs.map(() => uuidv7())
  await asServer(pool, async (c) => {
    await c.query(
      `INSERT INTO appointments (id, client_id, service_id, team_member_id, scheduled_at,
         duration_minutes, status, notes, price, location, deleted_at)
       SELECT x.id, x.client, x.service, x.crew, x.at, 60, coalesce(x.status, 'scheduled'),
         coalesce(x.notes, ''), 45.00, x.location, CASE WHEN x.deleted THEN now() END
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, client uuid, service uuid, crew uuid,
         at timestamptz, status text, notes text, location text, deleted boolean)`,
      [JSON.stringify(jobs.map((j, i) => ({ ...j, id: ids[i] })))],
    )
  })
  return ids
}

export interface ApiFixture {
  pool: pg.Pool
  app: FastifyInstance
  business: Business
  tokens: { admin: string; office: string; ana: string; ben: string; crewless: string }
  /** A request with a device's token (Bearer unless `scheme` says otherwise). */
  call: (
    token: string | null,
    opts: InjectOptions & { scheme?: string },
  ) => Promise<LightMyRequestResponse>
  close: () => Promise<void>
}

export async function apiFixture(server: Partial<ServerOptions> = {}): Promise<ApiFixture> {
  const db: TestDatabase = await freshDatabase()
  const pool = createPool(db.url, db.poolMax)
  await migrateServer(pool)
  const business = await seedBusiness(pool)
  const device = async (role: 'admin' | 'office_manager' | 'crew_lead', crew?: string) =>
    (
      await createDevice(pool, {
        label: `${role} device`,
        userName: role,
        role,
        ...(crew ? { teamMemberId: crew } : {}),
      })
    ).token
  const tokens = {
    admin: await device('admin'),
    office: await device('office_manager'),
    ana: await device('crew_lead', business.crew.ana),
    ben: await device('crew_lead', business.crew.ben),
    crewless: await device('crew_lead'),
  }
  const app = buildServer({ pool, rateLimit: { max: 10_000, windowMs: 60_000 }, ...server })
  return {
    pool,
    app,
    business,
    tokens,
    call: (token, { scheme = 'Bearer', headers, ...opts }) =>
      app.inject({
        ...opts,
        headers: { ...(token ? { authorization: `${scheme} ${token}` } : {}), ...headers },
      }),
    close: async () => {
      await app.close()
      await pool.end()
      await db.drop()
    },
  }
}
