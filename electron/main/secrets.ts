import { safeStorage } from 'electron'
import type { SecretBox } from './core/notify/secrets'

/**
 * The providers' secrets sealed with the system's keychain (Keychain, DPAPI, libsecret)
 * through Electron's safeStorage; null where the system offers none (the core then keeps
 * its key-file box).
 */
export function keychainSecretBox(): SecretBox | null {
  if (!safeStorage.isEncryptionAvailable()) return null
  return {
    kind: 'os',
    seal: (secret) => `os1.${safeStorage.encryptString(secret).toString('base64')}`,
    open: (sealed) => {
      if (!sealed.startsWith('os1.')) return null
      try {
        return safeStorage.decryptString(Buffer.from(sealed.slice(4), 'base64'))
      } catch {
        return null
      }
    },
  }
}
