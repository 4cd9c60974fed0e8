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
  it("is signed with the business's own name and phone as they are: none set, none shown", async () => {
    await call(ctx, 'notifications.updateSettings', { businessName: null, businessPhone: null })
    // As the message would go: the preview never shows what clients will not read.
    expect((await preview()).text).toBe('Jordan Smith: booked. ,')
    await call(ctx, 'notifications.updateSettings', {
      businessName: 'Oak & Ivy Landscapes',
      businessPhone: '+1 312 555 0199',
    })
    expect((await preview()).text).toBe(
      'Jordan Smith: booked. Oak & Ivy Landscapes, +1 312 555 0199',
    )
  })

  it("writes its dates in the template's language", async () => {
    const words = async (locale?: 'es' | 'de') =>
      (
        await call(ctx, 'notifications.preview', {
          kind: 'confirmation',
          channel: 'sms',
          subject: '',
          body: '{{date}} | {{time}} | {{when}}',
          ...(locale ? { locale } : {}),
        })
      ).text
    expect(await words()).toBe('Thu, Dec 10 | 9:00 AM | Thu, Dec 10 at 9:00 AM')
    expect(await words('es')).toBe('jue, 10 dic | 9:00 | jue, 10 dic, 9:00')
    expect(await words('de')).toBe('Do., 10. Dez. | 9:00 | Do., 10. Dez., 9:00')
  })

  it("words its weather in the business's units", async () => {
    const weather = async () =>
      (
        await call(ctx, 'notifications.preview', {
          kind: 'weather',
          channel: 'sms',
          subject: '',
          body: '{{weather}}',
        })
      ).text
    expect(await weather()).toBe('Heavy rain (12 mm) is forecast that day.')
    await call(ctx, 'settings.update', { units: 'us' })
    try {
      expect(await weather()).toBe('Heavy rain (0.47 in) is forecast that day.')
    } finally {
      await call(ctx, 'settings.update', { units: 'metric' })
    }
  })
})

describe('the templates listed for editing', () => {
  it("hold every kind, channel and language: the admins' own where saved, else the built-in one", async () => {
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    await call(ctx, 'notifications.saveTemplate', {
      kind: 'reminder',
      channel: 'sms',
      locale: 'fr',
      subject: '',
      body: 'Rappel, {{client_name}} : {{when}}.',
    })
    const { templates } = await call(ctx, 'notifications.templates', {})
    expect(templates).toHaveLength(5 * 2 * 4)
    const of = (locale: string) =>
      templates.find((t) => t.kind === 'reminder' && t.channel === 'sms' && t.locale === locale)
    expect(of('fr')).toMatchObject({ builtIn: false, version: 1 })
    expect(of('de')).toMatchObject({ builtIn: true, version: 0 })
    expect(of('de')?.body).toMatch(/^Erinnerung: Ihr Termin/)
  })
})
