import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, memoryCore } from '../test/helpers'

let ctx: AppContext
let f: Fixture
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
  await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
})
afterAll(() => ctx.db.close())

const preview = () =>
  call(ctx, 'notifications.preview', {
    kind: 'confirmation',
    channel: 'sms',
    subject: '',
    body: '{{client_name}}: booked. {{business_name}}, {{business_phone}}',
  })

describe("a template's preview", () => {
  it("is signed with the business's own name and phone once they are set", async () => {
    await call(ctx, 'notifications.updateSettings', { businessName: null, businessPhone: null })
    expect((await preview()).text).toBe('Jordan Smith: booked. Greenway Gardens, +1 555 0100')
    await call(ctx, 'notifications.updateSettings', {
      businessName: 'Oak & Ivy Landscapes',
      businessPhone: '+1 312 555 0199',
    })
    expect((await preview()).text).toBe(
      'Jordan Smith: booked. Oak & Ivy Landscapes, +1 312 555 0199',
    )
  })
})
