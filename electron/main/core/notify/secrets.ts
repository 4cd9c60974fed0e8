import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where this laptop keeps the secrets of its providers (the SMTP password, the Twilio
 * token), sealed: never in clear in the database or a backup. In the desktop app,
 * Electron's `safeStorage` seals them with the system's keychain (`os`); under plain
 * Node (the browser bridge, tests, commands) a random key in a file of the data folder,
 * readable by its owner only, does (`file`). A sealed secret opens only where it was
 * sealed: a backup restored elsewhere asks for the secrets again.
 */
export interface SecretBox {
  readonly kind: 'os' | 'file'
  seal(secret: string): string
  /** Null when it cannot be opened here (sealed on another machine). */
  open(sealed: string): string | null
}

const KEY_FILE = 'provider-secrets.key'

export function fileSecretBox(dataDir: string | null): SecretBox {
  let key: Buffer | null = null
  const theKey = () => {
    if (key) return key
    const path = dataDir ? join(dataDir, KEY_FILE) : null
    if (path && existsSync(path)) key = readFileSync(path)
    else {
      key = randomBytes(32)
      if (path) {
        writeFileSync(path, key, { mode: 0o600 })
        chmodSync(path, 0o600)
      }
    }
    return key
  }
  return {
    kind: 'file',
    seal(secret) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', theKey(), iv)
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
    },
    open(sealed) {
      if (!sealed.startsWith('v1.')) return null
      try {
        const raw = Buffer.from(sealed.slice(3), 'base64')
        const decipher = createDecipheriv('aes-256-gcm', theKey(), raw.subarray(0, 12))
        decipher.setAuthTag(raw.subarray(12, 28))
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}
