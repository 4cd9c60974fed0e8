import { describe, expect, it } from 'vitest'
import { contract } from '../shared/contract'
import { PLAIN_HTTP_REFUSAL } from '../shared/sync/server-address'
import { startTwilioStandIn } from '../testing/twilio-standin'
import { parseSmsSettings, smsSender } from './sms'

/** Twilio's address is sent the account's token with every request: https:// only. */
describe("Twilio's API address", () => {
  const account = {
    accountSid: `AC${'a'.repeat(32)}`,
    authToken: 'secret',
    from: '+14155550100',
  }
  const settings = (baseUrl: string) => ({
    sms: { accountSid: account.accountSid, from: account.from, baseUrl },
  })
  const input = contract['notifications.updateSettings'].input

  it('is refused over plain http:// unless it is this computer', () => {
    for (const baseUrl of ['http://api.twilio.example', 'http://10.0.0.5:8080']) {
      expect(() => parseSmsSettings({ ...account, baseUrl })).toThrow(
        `the SMS base URL ${PLAIN_HTTP_REFUSAL}`,
      )
      const parsed = input.safeParse(settings(baseUrl))
      expect(parsed.success).toBe(false)
      expect(parsed.error?.issues.map((i) => i.message)).toEqual([PLAIN_HTTP_REFUSAL])
    }
    for (const baseUrl of [
      'https://api.twilio.com',
      'http://127.0.0.1:4010',
      'http://localhost:4010',
    ]) {
      expect(parseSmsSettings({ ...account, baseUrl }).baseUrl).toBe(baseUrl)
      expect(input.safeParse(settings(baseUrl)).success).toBe(true)
    }
  })

  it('takes a token pasted with spaces around it as the token', () => {
    const parsed = input.parse({
      sms: { ...settings('https://api.twilio.com').sms, token: ' tok3n \n' },
    })
    expect(parsed.sms?.token).toBe('tok3n')
  })

  it('keeps the path of a base address below a path, as a proxy serves it', async () => {
    const twilio = await startTwilioStandIn('/twilio')
    try {
      const message = { id: 'm1', to: '+14155550123', subject: '', text: 'Hi', html: null }
      const through = (baseUrl: string) =>
        smsSender({
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: account.from,
          baseUrl,
        })
      expect((await through(twilio.url).send(message)).providerId).toMatch(/^SM/)
      expect((await through(`${twilio.url}/`).send(message)).providerId).toMatch(/^SM/)
      expect(twilio.requests.map((r) => r.path)).toEqual([
        `/twilio/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`,
        `/twilio/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`,
      ])
    } finally {
      await twilio.close()
    }
  })
})
