/**
 * `npm run server:conflicts -- list [--all] --database-url URL`,
 * `... resolve --id ID --resolution R --database-url URL`: business conflicts for an
 * admin. Resolving records the decision; the data change is pushed from the app.
 */

import { listConflicts, resolveConflict } from '../server/conflicts'
import { createPool } from '../server/db'
import { UUID_PATTERN } from '../shared/domain/ids'
import {
  ALL_RESOLUTIONS,
  type Conflict,
  RESOLUTIONS,
  type Resolution,
} from '../shared/sync/protocol'
import {
  DATABASE_URL_FLAG,
  parseFlags,
  refuseStrayFlags,
  runCommand,
  subcommand,
  UsageError,
} from './lib/cli'

const USAGE = `npm run server:conflicts -- <list|resolve> --database-url URL
  list [--all]
  resolve --id CONFLICT_ID --resolution ${ALL_RESOLUTIONS.join('|')}`

const sideText = (s: Conflict['sides'][number]) =>
  `${s.by ? `${s.by.user} (${s.by.device})` : 'unknown device'}${s.at ? ` at ${s.at}` : ''}`

await runCommand(USAGE, async () => {
  const [command, rest] = subcommand(process.argv.slice(2), ['list', 'resolve'] as const)
  const flags = parseFlags(rest, {
    'database-url': DATABASE_URL_FLAG,
    all: { type: 'boolean', help: 'list settled conflicts too' },
    id: {
      type: 'string',
      pattern: UUID_PATTERN,
      hint: 'must be a conflict id',
      help: 'the conflict to resolve',
    },
    resolution: { type: 'string', help: 'how to settle it' },
  })
  refuseStrayFlags(command, flags, { list: ['all'], resolve: ['id', 'resolution'] }[command], [
    'database-url',
  ])
  if (command === 'resolve') {
    if (!flags.id) throw new UsageError('--id is required')
    if (!flags.resolution || !(ALL_RESOLUTIONS as readonly string[]).includes(flags.resolution)) {
      throw new UsageError(`--resolution must be one of ${ALL_RESOLUTIONS.join(', ')}`)
    }
  }
  const pool = createPool(flags['database-url'])
  try {
    if (command === 'resolve') {
      const outcome = await resolveConflict(pool, {
        id: flags.id as string,
        resolution: flags.resolution as Resolution,
        resolvedBy: null,
      })
      if (outcome.ok) console.log(`resolved: ${outcome.conflict.resolution}`)
      else if (outcome.reason === 'not_found') throw new Error('no such conflict')
      else if (outcome.reason === 'already_resolved') throw new Error('already resolved')
      else {
        throw new UsageError(
          `--resolution for a ${outcome.kind} conflict must be one of ${RESOLUTIONS[outcome.kind].join(', ')}`,
        )
      }
    } else {
      const conflicts = await listConflicts(pool, {
        status: flags.all ? 'all' : 'open',
        limit: 200,
      })
      if (!conflicts.length) console.log(flags.all ? 'no conflicts' : 'no open conflicts')
      for (const c of conflicts) {
        const state = c.resolvedAt ? `resolved ${c.resolution}` : 'open'
        console.log(`${c.id}  ${c.kind.padEnd(15)} ${c.table} ${c.rowId}  ${state}`)
        console.log(`    ${sideText(c.sides[0])}  /  ${sideText(c.sides[1])}`)
      }
    }
  } finally {
    await pool.end()
  }
})
