import { describe, expect, it } from 'vitest'
import {
  CORRELATION_ID_EXTENSION,
  EventParseError,
  EXTENSION_NAME,
  makeEnvelope,
  parseEnvelope,
} from './envelope'
import { EVENT_DATA, EVENT_TYPE_PATTERN, EVENT_TYPES } from './types'

const MEMBER = '01890a5d-ac96-774b-bcce-b302099a805a'
const base = {
  id: '01890a5d-ac96-774b-bcce-b302099a8000',
  source: '/sync/devices/01890a5d-ac96-774b-bcce-b302099a8001',
  type: 'user.team_member.availability.changed.v1' as const,
  subject: `team_members/${MEMBER}`,
  time: '2026-05-04T14:00:00.000Z',
  correlationId: 'req-1',
  data: { teamMemberId: MEMBER, name: 'Ana', isAvailable: false, reason: 'availability' as const },
}

describe('the CloudEvents envelope', () => {
  it('has the 1.0 attributes and a lowercase correlation id extension', () => {
    expect(EXTENSION_NAME.test(CORRELATION_ID_EXTENSION)).toBe(true)
    expect(makeEnvelope(base)).toEqual({
      specversion: '1.0',
      id: base.id,
      source: base.source,
      type: base.type,
      subject: base.subject,
      time: base.time,
      datacontenttype: 'application/json',
      correlationid: 'req-1',
      data: base.data,
    })
  })

  it('reads an envelope back, checking the data against its type', () => {
    const wire = JSON.parse(JSON.stringify(makeEnvelope(base)))
    expect(parseEnvelope(wire)).toEqual(wire)
    expect(() => parseEnvelope({ ...wire, data: { ...wire.data, isAvailable: 'no' } })).toThrow(
      /data of a user.team_member.availability.changed.v1 event: isAvailable/,
    )
    expect(() => parseEnvelope({ ...wire, data: { ...wire.data, extra: 1 } })).toThrow(
      EventParseError,
    )
  })

  it('refuses another spec version, a missing attribute or an unknown type', () => {
    const wire = makeEnvelope(base)
    expect(() => parseEnvelope({ ...wire, specversion: '0.3' })).toThrow(/specversion/)
    const { correlationid: _c, ...bare } = wire
    expect(() => parseEnvelope(bare)).toThrow(/correlationid/)
    expect(() =>
      parseEnvelope({ ...wire, type: 'user.team_member.availability.changed.v9' }),
    ).toThrow(/unknown event type/)
    expect(() => parseEnvelope({ ...wire, time: 'yesterday' })).toThrow(/time/)
  })
})

describe('the event types', () => {
  it('are the types of the design, each versioned, each with a schema', () => {
    expect(EVENT_TYPES).toEqual([
      'scheduling.appointment.created.v1',
      'scheduling.appointment.rescheduled.v1',
      'scheduling.appointment.status_changed.v1',
      'scheduling.appointment.cancelled.v1',
      'scheduling.appointment.client_changed.v1',
      'user.team_member.availability.changed.v1',
      'catalog.service.changed.v1',
      'weather.alert.updated.v1',
    ])
    for (const type of EVENT_TYPES) {
      expect(type).toMatch(EVENT_TYPE_PATTERN)
      expect(EVENT_DATA[type]).toBeDefined()
    }
    expect('scheduling.appointment.created').not.toMatch(EVENT_TYPE_PATTERN)
  })
})
