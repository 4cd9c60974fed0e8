import { loadMigrations } from '../../../../drizzle/runner/migrations'
import type { Handlers } from './types'

export const systemHandlers = {
  'system.status': async (ctx) => {
    const { rows } = await ctx.db.pg.query<{
      clients: number
      services: number
      team_members: number
      appointments: number
    }>(`SELECT
          (SELECT count(*)::int FROM clients WHERE deleted_at IS NULL) AS clients,
          (SELECT count(*)::int FROM services WHERE deleted_at IS NULL) AS services,
          (SELECT count(*)::int FROM team_members WHERE deleted_at IS NULL) AS team_members,
          (SELECT count(*)::int FROM appointments WHERE deleted_at IS NULL) AS appointments`)
    const counts = rows[0]
    const applied = await ctx.db.runner.query<{ created_at: string }>(
      'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at',
    )
    const appliedAt = new Set(applied.map((r) => Number(r.created_at)))
    const migrations = loadMigrations(ctx.db.migrationsFolder)
      .filter((m) => appliedAt.has(m.when))
      .map((m) => m.tag)
    return {
      version: ctx.version,
      database: {
        open: !ctx.db.pg.closed,
        location: ctx.location,
        durability: ctx.durability,
        migrations,
        counts: {
          clients: counts?.clients ?? 0,
          services: counts?.services ?? 0,
          teamMembers: counts?.team_members ?? 0,
          appointments: counts?.appointments ?? 0,
        },
      },
    }
  },
} satisfies Partial<Handlers>
