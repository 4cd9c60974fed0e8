import { and, inArray, isNull } from 'drizzle-orm'
import { contract } from '../../../../shared/contract'
import { SERIES_IMPORT_COLUMNS, SERIES_IMPORT_REQUIRED } from '../../../../shared/contract/data'
import { WEEKDAY_NAMES, WEEKDAYS, type Weekday } from '../../../../shared/domain/series-rule'
import type { AppContext } from '../context'
import { schema } from '../db/schema'
import { bookNewSeries, businessToday, clashes, type NewSeries, newSeries } from '../series/store'
import type { ImportMode, ImportReport } from './import'
import { readTable, reportBefore, rowCells } from './import'
import { nameKey } from './import-match'
import { type JobReport, UNTRACKED } from './progress'

/**
 * Recurring visits from CSV, one series a row: how a business brings its season of
 * weekly mowing in from a spreadsheet. The client, service and crew member are named as
 * the app names them (spacing and case aside); the days are written as "Mon Thu" (or
 * "MO,TH", or in full); `every_weeks` defaults to 1. Each row is then checked as
 * `series.create` checks a series. A row naming a client, service and start that already
 * has a series here is skipped, so importing a file twice books nothing the second time.
 * All the series are booked in one transaction and their visits checked for double
 * bookings together; the report counts the visits and names the clashes.
 */

/** Where each field of `series.create` comes from in the file. */
const FIELD_COLUMN: Record<string, string> = {
  clientId: 'client',
  serviceId: 'service',
  teamMemberId: 'crew',
  rule: 'days',
  startsOn: 'starts_on',
  endsOn: 'ends_on',
  startTime: 'start_time',
  durationMinutes: 'duration_minutes',
}

/** "monday", "mon" and "mo" for each day. */
const DAY_WORDS: Record<string, Weekday> = Object.fromEntries(
  WEEKDAYS.flatMap((code) => {
    const word = WEEKDAY_NAMES[code].toLowerCase()
    return [
      [word, code],
      [word.slice(0, 3), code],
      [code.toLowerCase(), code],
    ]
  }),
)

/** "Mon Thu", "MO,TH", "tuesday/friday": the days, or the first word that is not one. */
export function parseDays(text: string): { days: Weekday[] } | { unknown: string } {
  const days: Weekday[] = []
  for (const word of text.toLowerCase().split(/[\s,;/&+]+|\band\b/)) {
    if (!word) continue
    const day = DAY_WORDS[word.replace(/\.$/, '')]
    if (!day) return { unknown: word }
    if (!days.includes(day)) days.push(day)
  }
  return { days }
}

/** Stands for a name the row gives that is not found, while its other cells are checked. */
const STAND_IN_ID = '00000000-0000-4000-8000-000000000000'

const optional = (v: string | undefined) => (v === undefined || v === '' ? undefined : v)

interface Named {
  id: string
  name: string
}

/** Names to ids, spacing and case aside; a name two records share is ambiguous. */
function byName(rows: readonly Named[]): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const r of rows) {
    const key = nameKey(r.name)
    map.set(key, [...(map.get(key) ?? []), r.id])
  }
  return map
}

export async function importSeries(
  ctx: AppContext,
  text: string,
  mode: ImportMode,
  progress: JobReport = UNTRACKED,
): Promise<ImportReport> {
  const { columns, rows } = readTable(text, SERIES_IMPORT_COLUMNS, SERIES_IMPORT_REQUIRED)
  const errors: ImportReport['errors'] = []
  // Cells trimmed: a spreadsheet's "Mon, 1, , 09:00" means the same as "Mon,1,,09:00".
  const cellsByLine = rowCells(columns, rows, errors).map(({ line, cells }) => ({
    line,
    cells: Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, v.trim()])),
  }))

  await progress.step('Matching rows with the clients, services and crew here')
  return ctx.db.db.transaction(async (tx) => {
    const { clients, services, teamMembers, series } = schema
    // Every client, not only those the file spells exactly: a name is matched on its key
    // (case and spacing aside), so whether two clients share it must not depend on which
    // other names the file holds. Ids and names only: cheap even for many thousands.
    const allClients = await tx
      .select({ id: clients.id, name: clients.name })
      .from(clients)
      .where(isNull(clients.deletedAt))
    const clientIds = byName(allClients)
    const serviceRows = await tx.select().from(services).where(isNull(services.deletedAt))
    const serviceIds = byName(serviceRows)
    const crewIds = byName(
      await tx
        .select({ id: teamMembers.id, name: teamMembers.name })
        .from(teamMembers)
        .where(isNull(teamMembers.deletedAt)),
    )
    const { zone, today } = await businessToday(tx)

    /** The one id a name stands for, or why the row is refused. */
    const pick = (
      ids: Map<string, string[]>,
      name: string,
      what: string,
    ): { id: string } | { message: string } => {
      const found = ids.get(nameKey(name)) ?? []
      if (found.length === 1) return { id: found[0] as string }
      return found.length
        ? {
            message: `${found.length} ${what}s are named "${name}": rename one, or book it in the app`,
          }
        : { message: `no ${what} is named "${name}"` }
    }

    const valid: { line: number; series: NewSeries }[] = []
    for (const { line, cells } of cellsByLine) {
      const refused = new Set<string>()
      const refuse = (field: string, message: string) => {
        refused.add(field)
        errors.push({ line, field, message })
      }
      const client = pick(clientIds, cells.client ?? '', 'client')
      const service = pick(serviceIds, cells.service ?? '', 'service')
      const crew = optional(cells.crew) ? pick(crewIds, cells.crew ?? '', 'crew member') : null
      const days = parseDays(cells.days ?? '')
      if ('message' in client) refuse('client', client.message)
      if ('message' in service) refuse('service', service.message)
      if (crew && 'message' in crew) refuse('crew', crew.message)
      if ('unknown' in days) {
        refuse('days', `"${days.unknown}" is not a day of the week (write them as Mon Thu)`)
      }
      // The rest of the row is checked too, a name not found standing in as found: the
      // report then lists everything to fix in the row at once, not one thing a try.
      const input = {
        clientId: 'id' in client ? client.id : STAND_IN_ID,
        serviceId: 'id' in service ? service.id : STAND_IN_ID,
        teamMemberId: crew ? ('id' in crew ? crew.id : STAND_IN_ID) : null,
        rule: {
          kind: 'weekly',
          interval: optional(cells.every_weeks) ? Number(cells.every_weeks) : 1,
          weekdays: 'days' in days ? days.days : ['MO'],
        },
        startsOn: cells.starts_on,
        endsOn: optional(cells.ends_on) ?? null,
        // A spreadsheet writes 09:30 as 9:30.
        startTime: /^\d:\d\d$/.test(cells.start_time?.trim() ?? '')
          ? `0${cells.start_time?.trim()}`
          : cells.start_time,
        durationMinutes: optional(cells.duration_minutes)
          ? Number(cells.duration_minutes)
          : undefined,
        price: optional(cells.price),
        notes: cells.notes ?? '',
        location: optional(cells.location) ?? null,
      }
      const parsed = contract['series.create'].input.safeParse(input)
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '')
          const column =
            field === 'rule' && issue.path[1] === 'interval' ? 'every_weeks' : FIELD_COLUMN[field]
          if (!refused.has(column ?? field)) refuse(column ?? field, issue.message)
        }
      }
      if (refused.size || !parsed.success || !('id' in service)) continue
      const row = serviceRows.find((s) => s.id === service.id)
      if (row && !row.isActive) {
        refuse('service', `"${row.name}" is archived and cannot be booked`)
        continue
      }
      if (!row) continue
      valid.push({ line, series: newSeries(parsed.data, row, zone) })
    }

    // A client's series of the same service, from the same day at the same time, is the
    // same series: one already here (or an earlier row) skips the row.
    const sameKey = (s: {
      clientId: string
      serviceId: string
      startsOn: string
      startTime: string
    }) => `${s.clientId}|${s.serviceId}|${s.startsOn}|${s.startTime}`
    const existing = valid.length
      ? await tx
          .select({
            clientId: series.clientId,
            serviceId: series.serviceId,
            startsOn: series.startsOn,
            startTime: series.startTime,
          })
          .from(series)
          .where(
            and(
              isNull(series.deletedAt),
              inArray(series.clientId, [...new Set(valid.map((v) => v.series.segment.clientId))]),
            ),
          )
      : []
    const seen = new Set(existing.map(sameKey))
    const skipped: number[] = []
    const creates: { line: number; series: NewSeries }[] = []
    for (const v of valid) {
      const key = sameKey(v.series.segment)
      if (seen.has(key)) skipped.push(v.line)
      else {
        seen.add(key)
        creates.push(v)
      }
    }

    const report = reportBefore(rows.length, errors, mode)
    if (!report.written) return report

    await progress.step('Booking the visits', creates.length)
    const plans = await bookNewSeries(
      tx,
      creates.map((c) => c.series),
      zone,
      today,
    )
    await progress.step('Checking for double bookings')
    const found = await clashes(
      tx,
      plans.flatMap((p) => p.inserts),
    )
    return {
      ...report,
      imported: creates.length,
      created: creates.length,
      skipped: skipped.length,
      lines: { created: creates.map((c) => c.line), updated: [], skipped },
      visits: {
        booked: plans.reduce((n, p) => n + p.inserts.length, 0),
        clashCount: found.length,
        clashes: found.slice(0, 50),
      },
    }
  })
}
