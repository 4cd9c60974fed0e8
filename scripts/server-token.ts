/**
 * `npm run server:token -- create --user NAME --role ROLE [--label L] --database-url URL`,
 * `... revoke --id ID`, `... list`: an admin's device tokens. The token is printed once.
 */

import { createPool } from '../server/db'
import { createDevice, listDevices, revokeDevice } from '../server/tokens'
import { USER_ROLES, type UserRole } from '../shared/domain/enums'
import { DATABASE_URL_FLAG, parseFlags, runCommand, subcommand, UsageError } from './lib/cli'

const USAGE = `npm run server:token -- <create|revoke|list> --database-url URL
  create --user NAME --role ${USER_ROLES.join('|')} [--crew TEAM_MEMBER_ID] [--label LAPTOP]
  revoke --id DEVICE_ID`

await runCommand(USAGE, async () => {
  const [command, rest] = subcommand(process.argv.slice(2), ['create', 'revoke', 'list'] as const)
  const flags = parseFlags(rest, {
    'database-url': DATABASE_URL_FLAG,
    user: { type: 'string' },
    role: { type: 'string' },
    label: { type: 'string' },
    crew: { type: 'string', pattern: /^[0-9a-f-]{36}$/i, hint: 'must be a team member id' },
    id: { type: 'string', pattern: /^[0-9a-f-]{36}$/i, hint: 'must be a device id' },
  })
  const pool = createPool(flags['database-url'])
  try {
    if (command === 'create') {
      if (!flags.user) throw new UsageError('--user is required')
      if (!flags.role || !(USER_ROLES as readonly string[]).includes(flags.role)) {
        throw new UsageError(`--role must be one of ${USER_ROLES.join(', ')}`)
      }
      if (flags.role === 'crew_lead' && !flags.crew) {
        throw new UsageError("--crew (the crew's team member id) is required for a crew lead")
      }
      const { device, token } = await createDevice(pool, {
        label: flags.label ?? `${flags.user}'s laptop`,
        userName: flags.user,
        role: flags.role as UserRole,
        teamMemberId: flags.crew ?? null,
      })
      console.log(
        `device ${device.id} (${device.role})\ntoken (shown once, keep it secret): ${token}`,
      )
    } else if (command === 'revoke') {
      if (!flags.id) throw new UsageError('--id is required')
      console.log((await revokeDevice(pool, flags.id)) ? 'revoked' : 'no such active device')
    } else {
      for (const d of await listDevices(pool)) {
        console.log(
          `${d.id}  ${d.role.padEnd(14)} ${d.userName} — ${d.label}${d.revokedAt ? ' (revoked)' : ''}`,
        )
      }
    }
  } finally {
    await pool.end()
  }
})
