import type { PGlite, Transaction } from '@electric-sql/pglite'
import { BUSINESS_SETTINGS_ID } from '../../../../shared/contract/settings'
import { uuidv7 } from '../../../../shared/domain/ids'
import { localToUtc } from '../../../../shared/domain/time'
import { maintain } from '../db/maintenance'
import { hashPin } from '../pin-hash'
import {
  CREW_COLORS,
  FIRST_NAMES,
  JOB_NOTES,
  JOB_PRODUCTS,
  LAST_NAMES,
  PRODUCTS,
  SERVICES,
  STREET_KINDS,
  STREETS,
  WEATHER_KINDS,
} from './catalog'
import { DEMO_PIN } from './demo-pin'

/**
 * A deterministic, realistic demo data set: the same options give the same rows (ids
 * included). Appointments follow the seasons and the week, never double-book a crew
 * member, and carry the status mix of a real business: done or cancelled in the past,
 * mostly scheduled in the future, a mix today.
 */
export interface SeedOptions {
  appointments: number
  clients?: number
  teamMembers?: number
  seed?: number
  /** The day seen as "today": half the appointments fall before it, half after. */
  anchor?: Date
  timeZone?: string
  onProgress?: (done: number, total: number) => void
}

export interface SeedResult {
  clients: number
  services: number
  products: number
  teamMembers: number
  users: number
  appointments: number
}

function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T
  const bytes = () => Uint8Array.from({ length: 10 }, () => int(256))
  const id = (ms: number) => uuidv7({ ms, random: bytes() })
  return { next, int, pick, id }
}

type Rng = ReturnType<typeof prng>

const csv = (v: string | number | boolean | null): string => {
  if (v === null) return ''
  const s = String(v)
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s
}
const row = (values: (string | number | boolean | null)[]) => `${values.map(csv).join(',')}\n`

async function copyRows(pg: Transaction, table: string, columns: string[], rows: string[]) {
  const blob = new Blob(rows)
  await pg.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
    blob,
  })
}

const DAY = 86_400_000

/** The demo business, as its messages to clients sign. */
export const DEMO_BUSINESS = { name: 'Greenway Gardens', phone: '+1 312 555 0100' }
const SEASON = [0.45, 0.45, 0.8, 1.2, 1.45, 1.5, 1.45, 1.4, 1.3, 1.2, 0.9, 0.6]

export async function isEmpty(pg: PGlite): Promise<boolean> {
  const { rows } = await pg.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM clients) + (SELECT count(*) FROM services)
          + (SELECT count(*) FROM team_members) + (SELECT count(*) FROM appointments) AS n`,
  )
  return Number(rows[0]?.n ?? 0) === 0
}

export async function clearAll(pg: PGlite): Promise<void> {
  await pg.exec(`TRUNCATE weather_forecasts, geocodes, time_off, notifications, notification_templates, appointment_products, appointments, series, team_member_specialties, pin_attempts, users,
    team_members, products, services, clients, sync_outbox, sync_versions, sync_inbox`)
}

export async function seed(pg: PGlite, options: SeedOptions): Promise<SeedResult> {
  const rng = prng(options.seed ?? 1)
  const tz = options.timeZone ?? 'America/Chicago'
  const anchor = options.anchor ?? new Date()
  const anchorDay = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate())
  // Noon-ish in the Americas: today is half done. Seeding for today, never later than the
  // clock: rows stamped in the future would hide later changes from anything that reads
  // changes by time (the laptop's notifier).
  const noonish = anchorDay + 17 * 3_600_000
  const now = options.anchor ? noonish : Math.min(noonish, Date.now())
  const nClients = options.clients ?? 1000
  const nMembers = options.teamMembers ?? 25
  const created = anchorDay - 400 * DAY
  const stamp = (ms: number) => new Date(ms).toISOString()

  const result: SeedResult = {
    clients: nClients,
    services: SERVICES.length,
    products: PRODUCTS.length,
    teamMembers: nMembers,
    users: 0,
    appointments: options.appointments,
  }

  // Hashed before the transaction: scrypt takes a while and needs no database.
  const demoPins = [await hashPin(DEMO_PIN), await hashPin(DEMO_PIN)]
  await pg.transaction(async (tx) => {
    await tx.exec("SET LOCAL synchronous_commit = 'off'")
    // Demo rows are not edits to send one by one: the sync outbox does not record them.
    // Should this laptop connect to a server, they are uploaded as whole rows then.
    await tx.exec("SET LOCAL groundskeeper.applying = 'on'")

    const serviceIds = SERVICES.map((_, i) => rng.id(created + i))
    const serviceRows = SERVICES.map((s, i) =>
      row([
        serviceIds[i] as string,
        s.name,
        s.description,
        s.priority,
        s.price.toFixed(2),
        s.minutes,
        true,
        WEATHER_KINDS[s.name] ?? null,
        stamp(created),
        stamp(created),
      ]),
    )
    await copyRows(
      tx,
      'services',
      [
        'id',
        'name',
        'description',
        'priority',
        'base_price',
        'duration_minutes',
        'is_active',
        'weather_kind',
        'created_at',
        'updated_at',
      ],
      serviceRows,
    )

    const productRows = PRODUCTS.map(([name, unit, price], i) =>
      row([
        rng.id(created + 100 + i),
        name,
        '',
        unit,
        price.toFixed(2),
        true,
        stamp(created),
        stamp(created),
      ]),
    )
    await copyRows(
      tx,
      'products',
      ['id', 'name', 'description', 'unit', 'unit_price', 'is_active', 'created_at', 'updated_at'],
      productRows,
    )

    const memberIds: string[] = []
    const memberRows: string[] = []
    const skills: number[][] = []
    const specialtyRows: string[] = []
    for (let m = 0; m < nMembers; m++) {
      const id = rng.id(created + 1000 + m)
      memberIds.push(id)
      const first = FIRST_NAMES[m % FIRST_NAMES.length] as string
      const last = rng.pick(LAST_NAMES)
      memberRows.push(
        row([
          id,
          `${first} ${last}`,
          `${first.toLowerCase()}.${m}@crew.example`,
          `555-01${String(m).padStart(2, '0')}`,
          CREW_COLORS[m % CREW_COLORS.length] as string,
          true,
          stamp(created),
          stamp(created),
        ]),
      )
      // Every member mows, cleans up and plows; each also has a handful of other skills.
      const mine = new Set<number>([0, 2, 10, 11, 33, 34])
      while (mine.size < 8 + rng.int(8)) mine.add(rng.int(SERVICES.length))
      skills.push([...mine])
      for (const s of mine) specialtyRows.push(row([id, serviceIds[s] as string, stamp(created)]))
    }
    // Every service has at least two people who can do it.
    SERVICES.forEach((_, s) => {
      const holders = skills.filter((k) => k.includes(s)).length
      for (let extra = holders; extra < 2; extra++) {
        const m = (s * 7 + extra) % nMembers
        if (!skills[m]?.includes(s)) {
          skills[m]?.push(s)
          specialtyRows.push(row([memberIds[m] as string, serviceIds[s] as string, stamp(created)]))
        }
      }
    })
    await copyRows(
      tx,
      'team_members',
      ['id', 'name', 'email', 'phone', 'color', 'is_available', 'created_at', 'updated_at'],
      memberRows,
    )
    await copyRows(
      tx,
      'team_member_specialties',
      ['team_member_id', 'service_id', 'created_at'],
      specialtyRows,
    )

    const userRows = [
      row([
        rng.id(created + 2000),
        'Admin',
        'admin@groundskeeper.example',
        'admin',
        null,
        stamp(created),
        stamp(created),
        demoPins[0] ?? null,
      ]),
      row([
        rng.id(created + 2001),
        'Office Manager',
        'office@groundskeeper.example',
        'office_manager',
        null,
        stamp(created),
        stamp(created),
        demoPins[1] ?? null,
      ]),
    ]
    for (let m = 0; m < Math.min(5, nMembers); m++) {
      userRows.push(
        row([
          rng.id(created + 2002 + m),
          `Crew lead ${m + 1}`,
          null,
          'crew_lead',
          memberIds[m] as string,
          stamp(created),
          stamp(created),
          null,
        ]),
      )
    }
    result.users = userRows.length
    await copyRows(
      tx,
      'users',
      ['id', 'name', 'email', 'role', 'team_member_id', 'created_at', 'updated_at', 'pin_hash'],
      userRows,
    )

    const clientIds: string[] = []
    const clientRows: string[] = []
    for (let c = 0; c < nClients; c++) {
      const id = rng.id(created + 3000 + c)
      clientIds.push(id)
      const first = rng.pick(FIRST_NAMES)
      const last = rng.pick(LAST_NAMES)
      const business = c % 9 === 0
      const name = business
        ? `${last} ${rng.pick(['Properties', 'HOA', 'Dental', 'Church', 'Apartments'])}`
        : `${first} ${last}`
      const lat = (41.6 + rng.next() * 0.5).toFixed(6)
      const lon = (-88.2 + rng.next() * 0.6).toFixed(6)
      clientRows.push(
        row([
          id,
          name,
          `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}${c}@mail.example`,
          `555-${String(1000 + (c % 9000)).padStart(4, '0')}`,
          `${100 + rng.int(9800)} ${rng.pick(STREETS)} ${rng.pick(STREET_KINDS)}`,
          String(60400 + rng.int(200)),
          lat,
          lon,
          '',
          stamp(created),
          stamp(created),
        ]),
      )
    }
    await copyRows(
      tx,
      'clients',
      [
        'id',
        'name',
        'email',
        'phone',
        'address',
        'postal_code',
        'latitude',
        'longitude',
        'notes',
        'created_at',
        'updated_at',
      ],
      clientRows,
    )

    // A few of the crew are on vacation: since two days ago, back in nine days.
    const vacation = [anchorDay - 2 * DAY, anchorDay + 8 * DAY] as const
    await insertAppointments(tx, rng, {
      total: options.appointments,
      anchorDay,
      now,
      tz,
      clientIds,
      serviceIds,
      memberIds,
      skills,
      away: memberIds.map((_, m) => (m % 13 === 12 ? vacation : null)),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })
    // What to bring, for the jobs of the services that use materials. Ids made from the
    // job and the product, so the same seed gives the same rows (with a UUID's version
    // and variant digits, as the sync protocol requires of every id).
    await tx.query(
      `INSERT INTO appointment_products (id, appointment_id, product_id, quantity, unit_price, created_at, updated_at)
       SELECT overlay(overlay(md5(a.id::text || p.id::text) placing '4' from 13) placing '8' from 17)::uuid, a.id, p.id, m.quantity, p.unit_price, a.created_at, a.updated_at
       FROM json_to_recordset($1::json) AS m(service text, product text, quantity numeric)
       JOIN services s ON s.name = m.service
       JOIN products p ON p.name = m.product
       JOIN appointments a ON a.service_id = s.id`,
      [
        JSON.stringify(
          JOB_PRODUCTS.map(([service, product, quantity]) => ({ service, product, quantity })),
        ),
      ],
    )
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    await tx.query(
      `INSERT INTO time_off (id, team_member_id, starts_on, ends_on, reason, created_at, updated_at)
       SELECT overlay(overlay(md5('time off' || m.id) placing '4' from 13) placing '8' from 17)::uuid,
         m.id, $2::date, $3::date, 'Vacation', $4, $4
       FROM unnest($1::uuid[]) AS m(id)`,
      [
        memberIds.filter((_, m) => m % 13 === 12),
        day(vacation[0]),
        day(vacation[1]),
        stamp(anchorDay - 20 * DAY),
      ],
    )
    // Its messages to clients are signed, as a business in use signs them.
    await tx.query(
      `INSERT INTO business_settings (id, business_name, business_phone) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE
       SET business_name = excluded.business_name, business_phone = excluded.business_phone`,
      [BUSINESS_SETTINGS_ID, DEMO_BUSINESS.name, DEMO_BUSINESS.phone],
    )
  })
  await maintain(pg)
  return result
}

interface AppointmentPlan {
  total: number
  anchorDay: number
  now: number
  tz: string
  clientIds: string[]
  serviceIds: string[]
  memberIds: string[]
  skills: number[][]
  /** The days (UTC midnights, first and last) each member is away, or null. */
  away: (readonly [number, number] | null)[]
  onProgress?: (done: number, total: number) => void
}

/** Splits `total` over days by season and weekday (largest remainder, so it sums exactly). */
function perDay(total: number, firstDay: number, days: number): number[] {
  const weights = Array.from({ length: days }, (_, d) => {
    const date = new Date(firstDay + d * DAY)
    const dow = date.getUTCDay()
    const week = dow === 0 ? 0.05 : dow === 6 ? 0.35 : 1
    return (SEASON[date.getUTCMonth()] ?? 1) * week
  })
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (w / sum) * total)
  const counts = exact.map(Math.floor)
  let left = total - counts.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0])
  for (const [, i] of order) {
    if (left-- <= 0) break
    counts[i] = (counts[i] ?? 0) + 1
  }
  return counts
}

async function insertAppointments(tx: Transaction, rng: Rng, plan: AppointmentPlan) {
  const days = 730
  const firstDay = plan.anchorDay - 365 * DAY
  const counts = perDay(plan.total, firstDay, days)
  const columns = [
    'id',
    'client_id',
    'service_id',
    'team_member_id',
    'scheduled_at',
    'duration_minutes',
    'status',
    'notes',
    'price',
    'started_at',
    'completed_at',
    'created_at',
    'updated_at',
  ]
  // Regular clients book far more often than one-off ones.
  const clientPick = () =>
    plan.clientIds[Math.floor(rng.next() ** 2.2 * plan.clientIds.length)] as string
  let buffer: string[] = []
  let done = 0
  for (let d = 0; d < counts.length; d++) {
    const day = firstDay + d * DAY
    const date = new Date(day)
    const month = date.getUTCMonth() + 1
    const offered = SERVICES.map((s, i) => [s, i] as const).filter(([s]) =>
      s.months.includes(month),
    )
    const totalWeight = offered.reduce((a, [s]) => a + s.weight, 0)
    const local = { year: date.getUTCFullYear(), month, day: date.getUTCDate() }
    // Minutes after midnight, local time, at which each member is next free.
    const free = plan.memberIds.map(() => 7 * 60 + 15 * rng.int(3))
    for (let j = 0; j < (counts[d] ?? 0); j++) {
      // Pick a service in season and the free-est crew member who can do it; a few
      // tries before the day counts as full.
      let service = SERVICES[0] as (typeof SERVICES)[number]
      let s = -1
      let member = -1
      let startMin = 0
      for (let attempt = 0; attempt < 6 && member < 0; attempt++) {
        let r = rng.next() * totalWeight
        const choice =
          offered.find(([o]) => {
            r -= o.weight
            return r <= 0
          }) ?? offered[0]
        if (!choice) break
        ;[service, s] = choice
        let best = -1
        for (let m = 0; m < plan.memberIds.length; m++) {
          if (!plan.skills[m]?.includes(s)) continue
          const away = plan.away[m]
          if (away && day >= away[0] && day <= away[1]) continue
          if (best < 0 || (free[m] ?? 0) < (free[best] ?? 0)) best = m
        }
        if (best >= 0 && (free[best] ?? 0) + service.minutes <= 20 * 60) {
          member = best
          startMin = free[best] ?? 7 * 60
        }
      }
      if (member < 0) {
        // The crews are booked up today: the rest of the day's quota moves to tomorrow.
        counts[d + 1] = (counts[d + 1] ?? 0) + (counts[d] ?? 0) - j
        break
      }
      free[member] = startMin + service.minutes + 15 * (1 + rng.int(2))
      const start = localToUtc(
        { ...local, hour: Math.floor(startMin / 60), minute: startMin % 60 },
        plan.tz,
      )
      const end = start + service.minutes * 60_000
      const createdAt = Math.min(start - (1 + rng.int(30)) * DAY, plan.now - rng.int(5) * DAY)
      let status = 'scheduled'
      let startedAt: number | null = null
      let completedAt: number | null = null
      const cancelled = rng.next() < (start < plan.now ? 0.08 : 0.04)
      if (cancelled) status = 'cancelled'
      else if (end <= plan.now) {
        status = 'completed'
        // Nothing in the demo happened after now: a laptop reading changes by time (the
        // notifier's cursor) must not find rows stamped in its future.
        startedAt = Math.min(start + rng.int(20) * 60_000, plan.now)
        completedAt = Math.min(end + rng.int(25) * 60_000, plan.now)
      } else if (start <= plan.now) {
        status = 'in_progress'
        startedAt = Math.min(start + rng.int(15) * 60_000, plan.now)
      }
      const price = rng.next() < 0.15 ? service.price * (0.9 + rng.int(21) / 100) : service.price
      const notes = rng.next() < 0.3 ? rng.pick(JOB_NOTES) : ''
      const updatedAt = completedAt ?? startedAt ?? createdAt
      buffer.push(
        row([
          rng.id(createdAt),
          clientPick(),
          plan.serviceIds[s] as string,
          plan.memberIds[member] as string,
          new Date(start).toISOString(),
          service.minutes,
          status,
          notes,
          price.toFixed(2),
          startedAt === null ? null : new Date(startedAt).toISOString(),
          completedAt === null ? null : new Date(completedAt).toISOString(),
          new Date(createdAt).toISOString(),
          new Date(updatedAt).toISOString(),
        ]),
      )
      done += 1
      if (buffer.length >= 20_000) {
        await copyRows(tx, 'appointments', columns, buffer)
        buffer = []
        plan.onProgress?.(done, plan.total)
      }
    }
  }
  if (buffer.length) await copyRows(tx, 'appointments', columns, buffer)
  plan.onProgress?.(done, plan.total)
}
