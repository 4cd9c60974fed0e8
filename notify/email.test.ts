import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { startSmtpStandIn } from '../testing/smtp-standin'
import { emailSender, parseEmailSettings, withoutPassword } from './email'

describe('the SMTP address', () => {
  it('is refused in words that never show its password', () => {
    const bad = 'smtp://office:Hunter2Secret@mail host:587'
    expect(() => parseEmailSettings(bad, 'office@greenway.example')).toThrow(
      'the SMTP address "smtp://office:***@mail host:587" is not a URL',
    )
    try {
      parseEmailSettings(bad, 'office@greenway.example')
    } catch (e) {
      expect((e as Error).message).not.toContain('Hunter2Secret')
    }
    expect(withoutPassword('smtps://mail.example:465')).toBe('smtps://mail.example:465')
    expect(withoutPassword('smtp://user@mail.example')).toBe('smtp://user@mail.example')
  })
})

/** This computer's address on its network, if it has one: not loopback. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address

describe('a password sent to a mail server', () => {
  it.skipIf(!lanAddress)(
    'never crosses the network in clear: a server offering no STARTTLS is refused',
    async () => {
      const remote = await startSmtpStandIn({ host: lanAddress, acceptLogin: true })
      const local = await startSmtpStandIn({ acceptLogin: true })
      const message = {
        id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
        to: 'client@example.com',
        subject: 'Your visit',
        text: 'Hello',
        html: null,
      }
      const through = (url: string) =>
        emailSender({
          url: url.replace('smtp://', 'smtp://office:hunter2@'),
          from: 'office@greenway.example',
          timeoutMs: 3000,
        })
      try {
        const far = through(remote.url)
        await expect(far.send(message)).rejects.toThrow(/STARTTLS/)
        expect(remote.received).toHaveLength(0)
        await far.close?.()
        // This computer's own server (a stand-in, a local relay) may take it plainly.
        const near = through(local.url)
        await near.send(message)
        expect(local.received).toHaveLength(1)
        await near.close?.()
      } finally {
        await remote.close()
        await local.close()
      }
    },
  )
})
