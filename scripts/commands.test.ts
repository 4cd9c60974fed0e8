import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../electron/main/core/db/create-db'
import { sourceResources, sourceRoot } from '../electron/main/core/paths'
import { seed } from '../electron/main/core/seed/seed'
import { memoryDb, tempDir } from '../electron/main/core/test/helpers'
import { createPool } from '../server/db'
import { freshDatabase } from '../server/test-db'
import { runTs } from './lib/run-ts'

const resources = sourceResources()
const dirs: (() => void)[] = []
afterAll(() => {
  for (const d of dirs) d()
})
function dir() {
  const d = tempDir()
  dirs.push(d.cleanup)
  return d.path
}

async function count(dataDir: string, sql: string): Promise<number> {
  const db = await createDb({ dataDir, resources, migrate: false })
  try {
    const { rows } = await db.pg.query<{ n: number }>(sql)
    return rows[0]?.n ?? -1
  } finally {
    await db.close()
  }
}

describe('npm run db:seed', () => {
  it.each([
    [['--appointments', '10'], /--data-dir is required/],
    [['--data-dir', 'X', '--appointments', 'many'], /--appointments must be a whole number/],
    [['--data-dir', 'X', '--appointments=-5'], /--appointments must be between 0 and/],
    [['--data-dir', 'X', '--anchor', '26/11/2026'], /--anchor must be a date as YYYY-MM-DD/],
    [['--data-dir', 'X', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['--data-dir', 'X', '--appointments='], /--appointments needs a value/],
    [['--data-dir', 'X', '--anchor', '2026-02-30'], /--anchor is not a real date/],
    [['--data-dir', 'X', '--anchor', '9999-12-31'], /--anchor must be in the years 1902 to 2197/],
  ])('refuses %j with a clear message and touches nothing', async (args, message) => {
    const base = dir()
    const argv = args.map((a) => (a === 'X' ? join(base, 'data') : a))
    const run = await runTs('scripts/db-seed.ts', argv)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stderr).toMatch(/usage: npm run db:seed/)
    expect(existsSync(join(base, 'data'))).toBe(false)
  })

  it('seeds a data folder with progress, and will not seed over data without --replace', async () => {
    const dataDir = dir()
    const args = ['--data-dir', dataDir, '--appointments', '3000', '--anchor', '2026-06-01']
    const run = await runTs('scripts/db-seed.ts', args)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/appointments: 3,000 \/ 3,000 \(100%\)/)
    expect(run.stdout).toMatch(/seeded 1,000 clients, 40 services, 16 products, 25 team members/)
    expect(await count(dataDir, 'SELECT count(*)::int AS n FROM appointments')).toBe(3000)

    const again = await runTs('scripts/db-seed.ts', args)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already holds data: pass --replace/)
    expect(await count(dataDir, 'SELECT count(*)::int AS n FROM appointments')).toBe(3000)

    const replaced = await runTs('scripts/db-seed.ts', [...args, '--replace'])
    expect(replaced.code).toBe(0)
    expect(await count(dataDir, 'SELECT count(*)::int AS n FROM appointments')).toBe(3000)
  })
})

describe('the seed data', () => {
  const fingerprint = async (seedValue: number) => {
    const db = await memoryDb()
    try {
      await seed(db.pg, { appointments: 2000, seed: seedValue, anchor: new Date('2026-06-01') })
      const { rows } = await db.pg.query<{ h: string; overlaps: number; statuses: string }>(`
        SELECT (SELECT md5(string_agg(a::text, '|' ORDER BY id)) FROM appointments a) AS h,
               (SELECT count(*)::int FROM appointments a JOIN appointments b
                  ON a.team_member_id = b.team_member_id AND a.id < b.id
                 AND a.scheduled_at < b.scheduled_at + make_interval(mins => b.duration_minutes)
                 AND b.scheduled_at < a.scheduled_at + make_interval(mins => a.duration_minutes)
               ) AS overlaps,
               (SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM appointments) AS statuses`)
      return rows[0]
    } finally {
      await db.close()
    }
  }

  it('is deterministic, never double-books a crew member, and has every status', async () => {
    const a = await fingerprint(7)
    const b = await fingerprint(7)
    const c = await fingerprint(8)
    expect(a?.h).toBe(b?.h)
    expect(a?.h).not.toBe(c?.h)
    expect(a?.overlaps).toBe(0)
    expect(a?.statuses).toBe('cancelled,completed,in_progress,scheduled')
  })
})

describe('npm run db:migrate', () => {
  it('refuses a target no migration has before making a database', async () => {
    const base = dir()
    const run = await runTs('scripts/db-migrate.ts', [
      '--data-dir',
      join(base, 'data'),
      '--target',
      '9999_nope',
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--target 9999_nope is not a migration of this app/)
    expect(existsSync(join(base, 'data'))).toBe(false)
  })

  it('refuses a folder that is not there or is a file, making nothing', async () => {
    const base = dir()
    const typo = join(base, 'typo')
    const missing = await runTs('scripts/db-migrate.ts', ['--data-dir', typo])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(`--data-dir ${typo} does not exist`)
    expect(existsSync(typo)).toBe(false)
    const file = join(base, 'a-file')
    writeFileSync(file, 'not a folder')
    for (const script of ['scripts/db-migrate.ts', 'scripts/db-seed.ts']) {
      const run = await runTs(script, ['--data-dir', file])
      expect(run.code, script).toBe(2)
      expect(run.stderr, script).toMatch(`--data-dir ${file} is a file, not a folder`)
    }
  })

  it('says where the database stands, and that an older target undoes nothing', async () => {
    const dataDir = dir()
    const first = '0000_initial'
    const stage = await runTs('scripts/db-migrate.ts', ['--data-dir', dataDir, '--target', first])
    expect(stage.code).toBe(0)
    expect(stage.stdout).toMatch(
      new RegExp(
        `database is at ${first}; \\d+ later migrations not applied \\(run without --target`,
      ),
    )
    const all = await runTs('scripts/db-migrate.ts', ['--data-dir', dataDir])
    expect(all.stdout).toMatch(/database is up to date \(\d{4}_\w+\)/)
    const back = await runTs('scripts/db-migrate.ts', ['--data-dir', dataDir, '--target', first])
    expect(back.code).toBe(0)
    expect(back.stdout).toMatch(
      new RegExp(`past --target ${first} \\(migrations are never undone\\)`),
    )
    expect(back.stdout).not.toMatch(/up to date/)
  })
})

describe('npm run db:backfill-priority', () => {
  it.each([
    [['--batch-size', '10'], /--data-dir is required/],
    [['--data-dir', 'X', '--batch-size', '0'], /--batch-size must be between 1 and 100000/],
    [['--data-dir', 'X', '--batch-size', 'lots'], /--batch-size must be a whole number/],
    [['--data-dir', 'X'], /no Groundskeeper database in/],
  ])('refuses %j with a clear message', async (args, message) => {
    const base = dir()
    const run = await runTs(
      'scripts/db-backfill-priority.ts',
      args.map((a) => (a === 'X' ? join(base, 'data') : a)),
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(existsSync(join(base, 'data'))).toBe(false)
  })

  it('resumes after being killed midway and finishes', async () => {
    const dataDir = dir()
    const rows = 30_000
    const stage2 = await createDb({
      dataDir,
      resources,
      durability: 'os',
      migrate: { target: '0001_service_priority_nullable' },
    })
    await stage2.pg.exec(`INSERT INTO services (id, name, base_price, duration_minutes)
      SELECT gen_random_uuid(), 'Service ' || g, 10, 60 FROM generate_series(1, ${rows}) g`)
    await stage2.close()

    const args = ['--data-dir', dataDir, '--batch-size', '500', '--pause-ms', '20']
    const killed = await runTs('scripts/db-backfill-priority.ts', args, (line, kill) => {
      const m = /services backfilled: ([\d,]+) \//.exec(line)
      if (m && Number(m[1]?.replace(/,/g, '')) >= 5000) kill('SIGKILL')
    })
    expect(killed.signal).toBe('SIGKILL')
    const left = await count(
      dataDir,
      'SELECT count(*)::int AS n FROM services WHERE priority IS NULL',
    )
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(rows - 5000)
    // Batches are whole: every row is either untouched or done.
    expect(
      await count(dataDir, "SELECT count(*)::int AS n FROM services WHERE priority <> 'MEDIUM'"),
    ).toBe(0)

    const resumed = await runTs('scripts/db-backfill-priority.ts', args)
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toMatch(new RegExp(`backfill complete: ${left} rows`))
    expect(
      await count(dataDir, 'SELECT count(*)::int AS n FROM services WHERE priority IS NULL'),
    ).toBe(0)

    const migrated = await runTs('scripts/db-migrate.ts', ['--data-dir', dataDir])
    expect(migrated.code).toBe(0)
    expect(migrated.stdout).toMatch(/applied 0002_service_priority_not_null/)
    expect(await count(dataDir, 'SELECT count(*)::int AS n FROM services')).toBe(rows)
  })
})

describe('npm run data', () => {
  it('refuses an unknown command and bad flags with the usage', async () => {
    const run = await runTs('scripts/data.ts', ['frobnicate', '--data-dir', dir()])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/unknown command frobnicate/)
    const bad = await runTs('scripts/data.ts', ['export', '--data-dir', dir(), '--format', 'xls'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--format must be csv, json or ics/)
  })

  it.each([
    [['export', '--kind', 'bogus'], /--kind must be appointments, clients/],
    [['export', '--kind', 'clients', '--format', 'ics'], /--format ics is a calendar/],
    [
      ['export', '--kind', 'appointments', '--from', '5/1/2026'],
      /--from must be a date and time such as 2026-05-01T14:00:00Z/,
    ],
    [
      ['export', '--kind', 'appointments', '--to', '2026-13-01T00:00:00Z'],
      /--to must be a date and time such as 2026-05-01T14:00:00Z/,
    ],
    [
      ['import', '--kind', 'clients', '--file', '/no/such.csv'],
      /--file \/no\/such.csv cannot be read/,
    ],
    [['backups'], /no Groundskeeper database in /],
    [['export', '--kind', 'clients'], /no Groundskeeper database in /],
    [['export', '--kind', 'calendar', '--format', 'csv'], /--format must be ics for the calendar/],
    [
      [
        'export',
        '--kind',
        'appointments',
        '--from',
        '2027-06-01T00:00:00Z',
        '--to',
        '2026-05-01T00:00:00Z',
      ],
      /--from must not be after the end of the range/,
    ],
    [['backups', '--status', 'scheduled'], /--status does not apply to backups/],
    [
      ['export', '--kind', 'clients', '--out', '/no/such/folder/x.csv'],
      /the folder \/no\/such\/folder does not exist/,
    ],
  ])('refuses %j before the data folder is opened', async (args, message) => {
    const base = dir()
    const run = await runTs('scripts/data.ts', [...args, '--data-dir', join(base, 'data')])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(existsSync(join(base, 'data'))).toBe(false)
  })

  it('refuses a CSV file in another encoding than UTF-8, naming the fix', async () => {
    const base = dir()
    const file = join(base, 'latin1.csv')
    writeFileSync(file, Buffer.from('name,address\nM\xfcller GmbH,Stra\xdfe 5\n', 'latin1'))
    const run = await runTs('scripts/data.ts', [
      'import',
      '--kind',
      'clients',
      '--file',
      file,
      '--data-dir',
      join(base, 'data'),
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/is not UTF-8 text .*save it as “CSV UTF-8”/)
  })

  // Two commands, each a new process: on a busy machine, start-up alone takes seconds.
  it('takes a relative path from the folder the command was typed in, as npm passes it', async () => {
    const typedIn = dir()
    const run = (args: string[]) =>
      runTs('scripts/data.ts', args, undefined, { ...process.env, INIT_CWD: typedIn })
    await runTs('scripts/db-seed.ts', [
      '--data-dir',
      join(typedIn, 'laptop'),
      '--appointments',
      '20',
      '--clients',
      '5',
    ])
    const exported = await run([
      'export',
      '--data-dir',
      'laptop',
      '--kind',
      'clients',
      '--out',
      'clients.csv',
    ])
    expect(exported.stderr).toBe('')
    expect(exported.stdout).toMatch(/exported 5 rows/)
    expect(readFileSync(join(typedIn, 'clients.csv'), 'utf8')).toMatch(/^name,/)
    expect(existsSync(join(sourceRoot(), 'clients.csv'))).toBe(false)
  }, 120_000)

  // A dozen commands run one after another, each a new process: on a busy machine their start-up alone takes seconds each.
  it('exports, backs up and restores a data folder', async () => {
    const dataDir = dir()
    await runTs('scripts/db-seed.ts', [
      '--data-dir',
      dataDir,
      '--appointments',
      '200',
      '--clients',
      '30',
    ])
    const out = join(dir(), 'clients.csv')
    const exportTo = (target: string) =>
      runTs('scripts/data.ts', [
        'export',
        '--data-dir',
        dataDir,
        '--kind',
        'clients',
        '--out',
        target,
      ])
    const exported = await exportTo(out)
    expect(exported.stdout).toMatch(/exported 30 rows/)
    const copy = join(dir(), 'offsite.gkbackup')
    const backup = await runTs('scripts/data.ts', ['backup', '--data-dir', dataDir, '--out', copy])
    const file = /backup written: (\S+\.gkbackup)/.exec(backup.stdout)?.[1]
    expect(file).toBeTruthy()
    expect(backup.stdout).toContain(`a copy is saved as ${copy}`)
    expect(readFileSync(copy).equals(readFileSync(join(dataDir, 'backups', file ?? '')))).toBe(true)
    // A new laptop set up from the copy alone.
    const fresh = join(dir(), 'new-laptop')
    const brought = await runTs('scripts/data.ts', ['restore', '--data-dir', fresh, '--file', copy])
    expect(brought.stdout).toContain(`offsite.gkbackup checked and added to the backups as ${file}`)
    expect(brought.stdout).toMatch(/new-laptop is set up from .* 200 appointments/)
    // Nothing was there before it: no empty database is kept beside it.
    expect(readdirSync(fresh).sort()).toEqual(['backups', 'pgdata'])
    // A file that is no backup sets up nothing: no folder is left behind.
    const notes = join(dir(), 'notes.gkbackup')
    writeFileSync(notes, 'not a backup')
    const never = join(dir(), 'never-made')
    const refused = await runTs('scripts/data.ts', [
      'restore',
      '--data-dir',
      never,
      '--file',
      notes,
    ])
    expect([refused.code, refused.stderr]).toEqual([
      2,
      expect.stringMatching(/not a Groundskeeper backup/),
    ])
    expect(existsSync(never)).toBe(false)
    // A copy whose name starts with two dots is still inside the data folder.
    const inside = await runTs('scripts/data.ts', [
      'backup',
      '--data-dir',
      dataDir,
      '--out',
      join(dataDir, '..x.gkbackup'),
    ])
    expect([inside.code, inside.stderr]).toEqual([
      2,
      expect.stringMatching(/is inside the data folder: write it elsewhere/),
    ])
    const missing = await runTs('scripts/data.ts', [
      'restore',
      '--data-dir',
      fresh,
      '--file',
      join(dir(), 'nothing.gkbackup'),
    ])
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/no such file/)])
    // An export never writes over a file, nor into the data folder (its backups, its
    // database): refused before anything runs, the file as it was.
    const kept = readFileSync(out, 'utf8')
    const again = await exportTo(out)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists: choose a new file name/)
    expect(readFileSync(out, 'utf8')).toBe(kept)
    const backupPath = join(dataDir, 'backups', file as string)
    const bytes = readFileSync(backupPath)
    const over = await exportTo(backupPath)
    expect(over.code).toBe(2)
    expect(over.stderr).toMatch(/is inside the data folder/)
    expect(readFileSync(backupPath).equals(bytes)).toBe(true)
    // The database lost: its backups are enough to bring the folder back.
    renameSync(join(dataDir, 'pgdata'), join(dataDir, 'pgdata.lost'))
    const restored = await runTs('scripts/data.ts', [
      'restore',
      '--data-dir',
      dataDir,
      '--file',
      file ?? '',
    ])
    expect(restored.code).toBe(0)
    expect(restored.stdout).toMatch(/restored .* 200 appointments/)
    // The restore undone: the data it replaced (empty: the database was lost) put back.
    const replaced = /kept as (pgdata\.before-restore-\S+)/.exec(restored.stdout)?.[1] ?? ''
    const listed = await runTs('scripts/data.ts', ['backups', '--data-dir', dataDir])
    expect(listed.stdout).toContain(`${replaced}  replaced by a restore at `)
    const data = ['put-back', '--data-dir', dataDir, '--name']
    const wrong = await runTs('scripts/data.ts', [...data, '../pgdata'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/--name must be the name of data a restore replaced/)
    const back = await runTs('scripts/data.ts', [...data, replaced])
    expect(back.code).toBe(0)
    expect(back.stdout).toMatch(/^put back pgdata\.before-restore-\S+ \(0 appointments\)/)
  }, 240_000)
})

describe('npm run server', () => {
  it.each([
    [['--trust-proxy', '999.999.1.1/99'], /--trust-proxy "999.999.1.1\/99" is not an address/],
    [['--trust-proxy', '10.0.0.0/8,10.0.0.0/33'], /--trust-proxy "10.0.0.0\/33" is not an address/],
    [['--port='], /--port needs a value/],
    [['--public-url', 'schedule.example.com'], /--public-url must be an http:\/\/ or https:\/\//],
    [['--public-url', 'https://x.example/?a=1'], /--public-url must be an http/],
  ])('refuses %j before reaching the database', async (args, message) => {
    // A database that does not exist: reaching it would fail otherwise.
    const run = await runTs('scripts/server.ts', [
      '--database-url',
      'postgres://postgres@127.0.0.1:5432/no_such_database',
      ...args,
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
  })
})

describe('npm run server where it cannot listen', () => {
  it('says why in words, and leaves the database untouched', async () => {
    const db = await freshDatabase()
    const taken = createServer().listen(0, '127.0.0.1')
    await new Promise((r) => taken.once('listening', r))
    const port = (taken.address() as { port: number }).port
    try {
      const busy = await runTs('scripts/server.ts', [
        '--database-url',
        db.url,
        '--port',
        String(port),
      ])
      expect(busy.code).toBe(1)
      expect(busy.stderr.trim()).toBe(
        `error: cannot listen on 127.0.0.1 port ${port}: another program is using that port`,
      )
      const elsewhere = await runTs('scripts/server.ts', [
        '--database-url',
        db.url,
        '--host',
        '192.0.2.7',
      ])
      expect(elsewhere.stderr.trim()).toBe(
        'error: cannot listen on 192.0.2.7 port 8787: 192.0.2.7 is not an address of this computer',
      )
      const pool = createPool(db.url, 1)
      try {
        const { rows } = await pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
        )
        expect(rows[0]?.n).toBe(0)
      } finally {
        await pool.end()
      }
    } finally {
      taken.close()
      await db.drop()
    }
  })
})

describe('npm run server on an empty database', () => {
  it('migrates it, serves, and starts its workers without an error in its log', async () => {
    const db = await freshDatabase()
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/server.ts', '--database-url', db.url, '--port', String(port)],
      { cwd: sourceRoot(), stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let log = ''
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      log += c
    })
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      log += c
    })
    try {
      let up = false
      for (let i = 0; i < 300 && !up && child.exitCode === null; i++) {
        up = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        )
        if (!up) await new Promise((r) => setTimeout(r, 100))
      }
      expect(up, log).toBe(true)
      // The workers start once the upgrade is done; their first rounds run at once.
      const pool = createPool(db.url, 1)
      try {
        for (let i = 0; i < 100; i++) {
          const { rows } = await pool
            .query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pgboss.queue WHERE name = 'notification_send'",
            )
            .catch(() => ({ rows: [{ n: 0 }] }))
          if (rows[0]?.n) break
          await new Promise((r) => setTimeout(r, 100))
        }
      } finally {
        await pool.end()
      }
      await new Promise((r) => setTimeout(r, 1000))
      expect(log).not.toMatch(/"level":50|does not exist/)
    } finally {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
      await db.drop()
    }
  }, 60_000)
})

describe('the server commands, with the database out of reach or not set up', () => {
  it.each([
    'mysql://x',
    'postgres://u:s3cret@127.0.0.1:notaport/db',
    'postgres://host:5432:6543/db',
  ])('refuse the database address %s as a usage error', async (url) => {
    const run = await runTs('scripts/server-token.ts', ['list', '--database-url', url])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--database-url must be a postgres:\/\/ URL: postgres:\/\/user@host/)
    expect(run.stderr).not.toContain('s3cret')
  })

  it.each([
    ['scripts/server-token.ts', ['list', '--role', 'admin'], /--role does not apply to list/],
    ['scripts/server-token.ts', ['revoke', '--user', 'Ana'], /--user does not apply to revoke/],
    [
      'scripts/server-conflicts.ts',
      ['list', '--resolution', 'restore'],
      /--resolution does not apply to list/,
    ],
  ])('%s refuses a flag its command does not take: %j', async (file, args, message) => {
    const run = await runTs(file, [...args, '--database-url', 'postgres://postgres@127.0.0.1:9/x'])
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)])
  })

  it('say so in words, not in a driver code', async () => {
    const refused = await runTs('scripts/server-token.ts', [
      'list',
      '--database-url',
      'postgres://postgres@127.0.0.1:9/x',
    ])
    expect(refused.code).toBe(1)
    expect(refused.stderr.trim()).toBe(
      'error: cannot reach the database at 127.0.0.1:9: nothing answers there',
    )
    const db = await freshDatabase()
    try {
      const bare = await runTs('scripts/server-restored.ts', ['--database-url', db.url])
      expect(bare.code).toBe(1)
      expect(bare.stderr.trim()).toBe(
        'error: this database is not set up for Groundskeeper: start npm run server on it once first',
      )
    } finally {
      await db.drop()
    }
  })
})

describe('--help', () => {
  it('says what every flag of every command does', async () => {
    const commands: [string, string[]][] = [
      ['scripts/server.ts', []],
      ['scripts/worker.ts', []],
      ['scripts/server-token.ts', ['create']],
      ['scripts/server-conflicts.ts', ['resolve']],
      ['scripts/server-weather.ts', ['refresh']],
      ['scripts/server-restored.ts', []],
      ['scripts/db-migrate.ts', []],
      ['scripts/db-seed.ts', []],
      ['scripts/db-backfill-priority.ts', []],
      ['scripts/db-template.ts', []],
      ['scripts/bridge.ts', []],
      ['scripts/bench.ts', []],
    ]
    for (const [file, before] of commands) {
      const run = await runTs(file, [...before, '--help'])
      const flags = run.stdout.split('\n').filter((line) => /^\s+--[a-z]/.test(line))
      expect(flags.length, file).toBeGreaterThan(0)
      // A flag line is its name (and value), then words: never the name alone.
      expect(
        flags.filter((line) => /^\s+--[a-z-]+( [A-Z]+)?\s*$/.test(line)),
        file,
      ).toEqual([])
    }
  })
})
