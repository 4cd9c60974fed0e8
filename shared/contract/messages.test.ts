import { describe, expect, it } from 'vitest'
import { type Channel, contract } from './index'
import { DATE_TIME_MESSAGE } from './messages'
import { leaks } from './plain-words.test-support'

const messagesOf = (channel: Channel, input: unknown) => {
  const result = contract[channel].input.safeParse(input)
  expect(result.success, `${channel} should refuse ${JSON.stringify(input)}`).toBe(false)
  return Object.fromEntries(
    (result.error?.issues ?? []).map((i) => [i.path.join('.') || '(input)', i.message]),
  )
}

describe('contract messages', () => {
  it('describe a bad date the way the date inputs show one', () => {
    for (const scheduledAt of ['next tuesday', '2026-05-01T10:00:00', '2026-02-30T10:00:00Z']) {
      expect(
        messagesOf('appointments.reschedule', { id: crypto.randomUUID(), scheduledAt }),
      ).toEqual({
        scheduledAt: DATE_TIME_MESSAGE,
      })
    }
    expect(DATE_TIME_MESSAGE).toBe('must be a date and time, such as 5/1/2026 2:00 PM')
  })

  it('name statuses and choices in words', () => {
    expect(
      messagesOf('appointments.setStatus', { id: crypto.randomUUID(), status: 'done' }),
    ).toEqual({ status: 'must be scheduled, in progress, completed or cancelled' })
    expect(messagesOf('appointments.list', { status: 'done' }).status).toBe(
      'must be scheduled, in progress, completed or cancelled, or a list of them',
    )
    expect(
      messagesOf('catalog.services.create', {
        name: 'X',
        basePrice: '5',
        durationMinutes: 30,
        priority: 'urgent',
      }),
    ).toEqual({ priority: 'must be low, medium or high' })
  })

  it('replace every zod default with plain words', () => {
    expect(
      messagesOf('clients.create', {
        name: 7,
        latitude: 'north',
        notes: 'x'.repeat(10_001),
        nickname: 'Bo',
      }),
    ).toEqual({
      name: 'must be text',
      latitude: 'must be a number',
      notes: 'is too long (10000 at most)',
      '(input)': '"nickname" is not expected here',
    })
    expect(messagesOf('clients.create', {})).toEqual({ name: 'is required' })
    expect(
      messagesOf('appointments.create', { clientId: 'x', serviceId: '', scheduledAt: 5 }),
    ).toEqual({
      clientId: 'must be chosen from the list',
      serviceId: 'must be chosen from the list',
      scheduledAt: DATE_TIME_MESSAGE,
    })
    expect(messagesOf('appointments.list', { limit: 1.5, offset: -1 })).toEqual({
      limit: 'must be a whole number',
      offset: 'must not be negative',
    })
    expect(
      messagesOf('team.setAvailability', { id: crypto.randomUUID(), isAvailable: 'yes' }),
    ).toEqual({
      isAvailable: 'must be yes or no',
    })
  })

  it('leak nothing internal for any bad value of any field', () => {
    const bad: unknown[] = [
      undefined,
      null,
      7,
      -1e12,
      1.5,
      'x',
      '',
      'in_progress',
      true,
      [],
      [7],
      {},
    ]
    const fields = [
      'id',
      'name',
      'status',
      'scheduledAt',
      'limit',
      'kind',
      'format',
      'role',
      'from',
    ]
    for (const channel of Object.keys(contract) as Channel[]) {
      for (const field of fields) {
        for (const value of bad) {
          const result = contract[channel].input.safeParse({ [field]: value })
          for (const issue of result.error?.issues ?? []) {
            expect(leaks(issue.message), `${channel} ${field}=${String(value)}`).toEqual([])
          }
        }
      }
    }
  })
})
