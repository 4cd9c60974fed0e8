import type { PGlite } from '@electric-sql/pglite'

/**
 * Moves the wall clock a laptop's SQL clock (`sync_tick()`, migration 0005) reads, for
 * tests only: laptops whose clocks disagree, or a clock stepping backwards.
 *
 * `sync_tick()` reads `clock_timestamp()` unqualified. This installs a
 * `public.clock_timestamp()` that adds a per-session offset (or returns a fixed time) and
 * puts `public` before `pg_catalog` on this session's search path, so that call resolves
 * to it. `sync_tick()` itself runs unchanged — the clock that ships is the one tested —
 * and nothing of this exists in a database the app opens. PGlite has one session, so the
 * setting holds for every query on this database until it is closed.
 */
export async function setWallClock(
  pg: PGlite,
  wall: { offsetMs: number } | { fixedMs: number },
): Promise<void> {
  await pg.exec(`
    CREATE OR REPLACE FUNCTION public.clock_timestamp() RETURNS timestamptz
    LANGUAGE sql VOLATILE AS $$
      SELECT coalesce(
        to_timestamp(nullif(current_setting('groundskeeper.test_wall_fixed_ms', true), '')::numeric / 1000),
        pg_catalog.clock_timestamp() + make_interval(secs => coalesce(
          nullif(current_setting('groundskeeper.test_wall_offset_ms', true), ''), '0')::double precision / 1000))
    $$;
    SET search_path TO public, pg_catalog;`)
  await pg.query(
    `SELECT set_config('groundskeeper.test_wall_offset_ms', $1, false),
            set_config('groundskeeper.test_wall_fixed_ms', $2, false)`,
    [
      'offsetMs' in wall ? String(Math.round(wall.offsetMs)) : '0',
      'fixedMs' in wall ? String(wall.fixedMs) : '',
    ],
  )
}
