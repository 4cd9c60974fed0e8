import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * PINs are stored as `scrypt$N$r$p$salt$hash` (salt and hash in base64url): a random
 * salt per PIN and the cost parameters beside the hash, so the cost can be raised later
 * without breaking stored PINs. N = 2^14, r = 8 costs ~50 ms and 16 MiB per check.
 *
 * A short numeric PIN cannot resist an offline search of a stolen database whatever
 * the hash; what protects it is that the laptop holds the data and counts wrong tries
 * (see `pin_attempts`). The hash keeps the PIN itself out of the database and backups.
 */
const COST = { N: 2 ** 14, r: 8, p: 1 }
const KEY_BYTES = 32
const SALT_BYTES = 16
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/

interface Cost {
  N: number
  r: number
  p: number
}

function derive(pin: string, salt: Buffer, cost: Cost, bytes: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(pin, salt, bytes, { ...cost, maxmem: 256 * cost.N * cost.r }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  )
}

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(pin, salt, COST, KEY_BYTES)
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Whether `pin` matches `stored`; a malformed stored value matches nothing. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored)
  if (!m) return false
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])]
  // Bounds, so that a damaged row cannot make one check take minutes or gigabytes.
  if (N < 2 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return false
  const salt = Buffer.from(m[4] ?? '', 'base64url')
  const expected = Buffer.from(m[5] ?? '', 'base64url')
  if (expected.length < 16) return false
  const key = await derive(pin, salt, { N, r, p }, expected.length)
  return timingSafeEqual(key, expected)
}
