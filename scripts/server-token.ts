/**
 * `npm run server:token -- create --user NAME --role ROLE [--label L] --database-url URL`,
 * `... revoke --id ID`, `... list`: an admin's device tokens. The token is printed once.
 */

import { createPool } from '../server/db'
import { createDevice, listDevices, revokeDevice } from '../server/tokens'
import { USER_ROLES, type UserRole } from '../shared/domain/enums'
import { UUID_PATTERN } from '../shared/domain/ids'
import {
  DATABASE_URL_FLAG,
  parseFlags,
  refuseStrayFlags,
  runCommand,
  subcommand,
  UsageError,
} from './lib/cli'

const USAGE = `npm run server:token -- <create|revoke|list> --database-url URL
  create --user NAME --role ${USER_ROLES.join('|')} [--crew TEAM_MEMBER_ID] [--label LAPTOP]
  revoke --id DEVICE_ID`

/** A name or label: printable, on one line, at most 100 characters. */
const PRINTABLE = /^(?=.*\S)[^\p{C}]{1,100}$/u
const NAME_HINT = 'must be 1 to 100 printable characters on one line, not only spaces'

/** Names as stored before they were checked: control characters shown as '?'. */
const shown = (text: string) => text.replace(/\p{C}/gu, '?')

await runCommand(USAGE, async () => {
  const [command, rest] = subcommand(process.argv.slice(2), ['create', 'revoke', 'list'] as const)
  const flags = parseFlags(rest, {
    'database-url': DATABASE_URL_FLAG,
    user: { type: 'string', pattern: PRINTABLE, hint: NAME_HINT, help: 'who the token is for' },
    role: { type: 'string', help: 'admin, office_manager or crew_lead' },
    label: { type: 'string', pattern: PRINTABLE, hint: NAME_HINT, help: 'the laptop it goes on' },
    crew: {
      type: 'string',
      pattern: UUID_PATTERN,
      hint: 'must be a team member id',
      help: "a crew lead's crew member",
    },
    id: {
      type: 'string',
      pattern: UUID_PATTERN,
      hint: 'must be a device id',
      help: 'the device to revoke',
    },
  })
  refuseStrayFlags(
    command,
    flags,
    { create: ['user', 'role', 'label', 'crew'], revoke: ['id'], list: [] }[command],
    ['database-url'],
  )
  if (command === 'create') {
    if (!flags.user) throw new UsageError('--user is required')
    if (!flags.role || !(USER_ROLES as readonly string[]).includes(flags.role)) {
      throw new UsageError(`--role must be one of ${USER_ROLES.join(', ')}`)
    }
    if (flags.role === 'crew_lead' && !flags.crew) {
      throw new UsageError("--crew (the crew's team member id) is required for a crew lead")
    }
    if (flags.role !== 'crew_lead' && flags.crew) {
      throw new UsageError('--crew is for a crew lead only: office staff see every crew')
    }
  }
  if (command === 'revoke' && !flags.id) throw new UsageError('--id is required')
  const pool = createPool(flags['database-url'])
  try {
    if (command === 'create') {
      if (flags.crew) {
        const { rows } = await pool.query(
          'SELECT 1 FROM team_members WHERE id = $1 AND deleted_at IS NULL',
          [flags.crew],
        )
        if (!rows.length)
          throw new UsageError(
            `--crew ${flags.crew} is no crew member this server holds (sync the office laptop first)`,
          )
      }
      const { device, token } = await createDevice(pool, {
        label: flags.label ?? `${flags.user}'s laptop`,
        userName: flags.user as string,
        role: flags.role as UserRole,
        teamMemberId: flags.crew ?? null,
      })
      console.log(
        `device ${device.id} (${device.role})\ntoken (shown once, keep it secret): ${token}`,
      )
    } else if (command === 'revoke') {
      if (await revokeDevice(pool, flags.id as string)) console.log('revoked')
      else {
        console.error('no such active device: nothing revoked')
        process.exitCode = 1
      }
    } else {
      for (const d of await listDevices(pool)) {
        console.log(
          `${d.id}  ${d.role.padEnd(14)} ${shown(d.userName)} — ${shown(d.label)}${d.revokedAt ? ' (revoked)' : ''}`,
        )
      }
    }
  } finally {
    await pool.end()
  }
})
