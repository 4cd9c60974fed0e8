import { createHash, randomBytes } from 'node:crypto'
import type pg from 'pg'
import type { UserRole } from '../shared/domain/enums'
import { uuidv7 } from '../shared/domain/ids'

/**
 * Device tokens: 32 random bytes shown once (`gk_` + base64url); only their SHA-256 is
 * stored, so a leaked database does not leak usable tokens.
 */
export interface Device {
  id: string
  label: string
  userName: string
  role: UserRole
  /** For a crew lead: the crew whose jobs the device may change. */
  teamMemberId: string | null
}

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

export async function createDevice(
  pool: pg.Pool,
  input: { label: string; userName: string; role: UserRole; teamMemberId?: string | null },
): Promise<{ device: Device; token: string }> {
  const token = `gk_${randomBytes(32).toString('base64url')}`
  const id = uuidv7()
  const teamMemberId = input.teamMemberId ?? null
  await pool.query(
    `INSERT INTO sync_devices (id, label, user_name, role, team_member_id, token_hash)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, input.label, input.userName, input.role, teamMemberId, hashToken(token)],
  )
  return { device: { id, ...input, teamMemberId }, token }
}

/**
 * Devices recently found by their token, per pool, for TOKEN_MEMORY_MS: a client sending
 * request after request (a laptop syncing, a web client paging) costs one lookup a
 * second or two, not one per request. Only valid tokens are remembered; a revocation
 * on this instance forgets its device at once, one made elsewhere (another instance,
 * `npm run server:token -- revoke`) takes effect here within TOKEN_MEMORY_MS.
 */
export const TOKEN_MEMORY_MS = 2000
const TOKEN_MEMORY_SIZE = 10_000
const remembered = new WeakMap<pg.Pool, Map<string, { device: Device; at: number }>>()

export async function deviceForToken(pool: pg.Pool, token: string): Promise<Device | null> {
  if (!/^gk_[A-Za-z0-9_-]{43}$/.test(token)) return null
  const hash = hashToken(token)
  const memory = remembered.get(pool) ?? new Map<string, { device: Device; at: number }>()
  remembered.set(pool, memory)
  const now = Date.now()
  const known = memory.get(hash)
  if (known && now - known.at < TOKEN_MEMORY_MS) return known.device
  memory.delete(hash)
  const device = await lookUpDevice(pool, hash)
  if (device) {
    if (memory.size >= TOKEN_MEMORY_SIZE) memory.delete(memory.keys().next().value as string)
    memory.set(hash, { device, at: now })
  }
  return device
}

async function lookUpDevice(pool: pg.Pool, hash: string): Promise<Device | null> {
  const { rows } = await pool.query<{
    id: string
    label: string
    user_name: string
    role: UserRole
    team_member_id: string | null
  }>(
    `SELECT id, label, user_name, role, team_member_id FROM sync_devices
     WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hash],
  )
  const row = rows[0]
  if (!row) return null
  return {
    id: row.id,
    label: row.label,
    userName: row.user_name,
    role: row.role,
    teamMemberId: row.team_member_id,
  }
}

export async function revokeDevice(pool: pg.Pool, id: string): Promise<boolean> {
  const memory = remembered.get(pool)
  for (const [hash, { device }] of memory ?? []) if (device.id === id) memory?.delete(hash)
  const { rowCount } = await pool.query(
    'UPDATE sync_devices SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
    [id],
  )
  return (rowCount ?? 0) > 0
}

export async function listDevices(pool: pg.Pool) {
  const { rows } = await pool.query<{
    id: string
    label: string
    user_name: string
    role: UserRole
    created_at: Date
    revoked_at: Date | null
  }>(
    'SELECT id, label, user_name, role, created_at, revoked_at FROM sync_devices ORDER BY created_at',
  )
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    userName: r.user_name,
    role: r.role,
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }))
}
