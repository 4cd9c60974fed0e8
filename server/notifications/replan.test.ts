import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../shared/domain/ids'
import { serverClock } from '../api/clock'
import { type EventsDb, eventsDatabase } from '../events/events.test-support'
import { notificationService } from './service'
import { ensureWorkerDevice } from './store'

/**
 * A client's wishes change with no event of their own: the worker's sweeper looks for
 * the clients changed since its last pass and plans their visits again. Where that
 * search stands is kept in the database, so a change made while no instance runs (just
 * before a restart, say) is planned by the next one.
 */
describe('planning again the visits of clients changed', () => {
  let t: EventsDb
  const SERVICE = uuidv7()
  const CLIENT = uuidv7()
  const JOB = uuidv7()

  beforeAll(async () => {
    t = await eventsDatabase()
    await ensureWorkerDevice(t.pool)
    await t.pool.query(
      `INSERT INTO services (id, name, base_price, duration_minutes) VALUES ($1, 'Lawn mowing', 55, 60)`,
      [SERVICE],
    )
    await t.pool.query(
      `INSERT INTO clients (id, name, email, phone, notify_sms) VALUES ($1, 'Jordan Smith', 'jordan@example.com', '+14155550123', false)`,
      [CLIENT],
    )
    await t.pool.query(
      `INSERT INTO business_settings (id, time_zone, business_name, sending_hours)
       VALUES ('00000000-0000-4000-8000-000000000001', 'UTC', 'Greenway Gardens', '00:00-23:59')`,
    )
    await t.pool.query(
      `INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes, price)
       VALUES ($1, $2, $3, now() + interval '5 days', 60, 55)`,
      [JOB, CLIENT, SERVICE],
    )
  }, 60_000)
  afterAll(async () => {
    await t?.close()
  })

  const instance = () => notificationService({ pool: t.pool, clock: serverClock(), senders: {} })
  const reminders = async () =>
    (
      await t.pool.query<{ channel: string }>(
        `SELECT channel FROM notifications WHERE appointment_id = $1 AND kind = 'reminder'
         ORDER BY channel`,
        [JOB],
      )
    ).rows.map((r) => r.channel)

  it('finds a client changed while no instance ran, from where the last one stopped', async () => {
    const first = instance()
    await first.replan()
    await first.stop()
    // While no instance runs, the client asks for texts.
    await t.pool.query(
      `UPDATE clients SET notify_sms = true, updated_at = clock_timestamp() WHERE id = $1`,
      [CLIENT],
    )
    const restarted = instance()
    expect(await restarted.replan()).toBe(1)
    expect(await reminders()).toContain('sms')
    // Nothing changed since: nothing is planned again, by this instance or another.
    expect(await restarted.replan()).toBe(0)
    expect(await instance().replan()).toBe(0)
  })
})
