import { z } from 'zod'
import { MAX_INTERVAL, ORDINALS, WEEKDAYS } from '../domain/series-rule'
import {
  day,
  durationMinutes,
  id,
  instant,
  money,
  nullableText,
  optionalText,
  storedDay,
} from './common'

/** A local time of day in the business's zone ("08:30"). */
export const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 08:30')

const interval = z
  .number()
  .int()
  .min(1, 'must be at least 1')
  .max(MAX_INTERVAL, `must be at most ${MAX_INTERVAL}`)
  .default(1)
const weekday = z.enum(WEEKDAYS, { message: 'must be a day of the week' })

/** How a series repeats (shared/domain/series-rule.ts stores it as an RRULE). */
export const repeatRule = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('weekly'),
      interval,
      weekdays: z.array(weekday).min(1, 'pick at least one day of the week').max(7),
    }),
    z.strictObject({
      kind: z.literal('monthlyDay'),
      interval,
      day: z
        .number()
        .int()
        .min(1, 'must be a day of the month (1-31)')
        .max(31, 'must be a day of the month (1-31)'),
    }),
    z.strictObject({
      kind: z.literal('monthlyWeekday'),
      interval,
      ordinal: z.union(
        ORDINALS.map((o) => z.literal(o)),
        {
          message: 'must be first, second, third, fourth or last',
        },
      ),
      weekday,
    }),
  ],
  { message: 'must be weekly, monthly on a day, or monthly on a weekday' },
)
export type RepeatRuleInput = z.input<typeof repeatRule>

const MAX_SKIPS = 366

/** A season's first day must not come after its last. */
const seasonOrder = (
  v: { startsOn?: string | undefined; endsOn?: string | null | undefined },
  ctx: z.RefinementCtx,
) => {
  if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) {
    ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'must not be before the first day' })
  }
}

/** One visit the booking double-books: when, with whom, and what it clashes with. */
export const seriesClash = z.object({
  visitId: id,
  scheduledAt: z.string(),
  teamMemberName: z.string(),
  /** In words, in the business's zone: "8:00–9:00 AM on Tue, Apr 6". */
  when: z.string(),
  /** The jobs it overlaps, in words: "Smith Residence, Lawn mowing at 8:30–9:30 AM". */
  with: z.array(z.object({ id, text: z.string() })),
})
export type SeriesClash = z.infer<typeof seriesClash>

/**
 * A visit the rolling horizon booked on its own, as days passed (nobody was asked), that
 * double-books its crew member: kept on this laptop for the office to review
 * (electron/main/core/series/clash-record.ts).
 */
export const horizonClash = seriesClash.extend({
  /** The visit's own client and service: "Smith Residence, Lawn mowing". */
  job: z.string(),
  /** When the horizon booked it (or moved it) and found the clash. */
  foundAt: instant,
})
export type HorizonClash = z.infer<typeof horizonClash>

/** What a series write did to its visits: "14 visits booked, 2 clash — review". */
export const seriesSummary = z.object({
  rootId: id,
  booked: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  clashes: z.array(seriesClash),
  /** What the visits mean for their crew: "8 visits are outside Aisha Smith's hours (...)". */
  crew: z.array(z.string()),
})
export type SeriesSummary = z.infer<typeof seriesSummary>

export const seriesSegment = z.object({
  id,
  startsOn: day,
  endsOn: day.nullable(),
  rule: z.string(),
  startTime: z.string(),
  durationMinutes: z.number().int(),
  teamMemberId: id.nullable(),
  serviceId: id,
  price: z.string(),
  /** "Every 2 weeks on Tuesday, Apr 6 – Oct 26". */
  description: z.string(),
})

export const seriesView = z.object({
  rootId: id,
  clientId: id,
  /** The part of the series the asked visit (or today) falls in. */
  current: seriesSegment,
  segments: z.array(seriesSegment),
  /** Its visits still to come that are live. */
  upcoming: z.number().int(),
})
export type SeriesView = z.infer<typeof seriesView>

/** The fields of a series an edit may change (all optional: only those given change). */
const seriesChange = z.strictObject({
  rule: repeatRule.optional(),
  endsOn: storedDay.nullable().optional(),
  startTime: timeOfDay.optional(),
  durationMinutes: durationMinutes.optional(),
  teamMemberId: id.nullable().optional(),
  serviceId: id.optional(),
  price: money.optional(),
  notes: optionalText(10_000).optional(),
  location: nullableText(500).optional(),
})

export const seriesContract = {
  /** Books a recurring visit: the series and its visits over the coming weeks. */
  'series.create': {
    input: z
      .strictObject({
        clientId: id,
        serviceId: id,
        teamMemberId: id.nullable().default(null),
        rule: repeatRule,
        startsOn: storedDay,
        endsOn: storedDay.nullable().default(null),
        startTime: timeOfDay,
        /** Defaults to the service's duration. */
        durationMinutes: durationMinutes.optional(),
        /** Defaults to the service's base price. */
        price: money.optional(),
        notes: optionalText(10_000).default(''),
        location: nullableText(500).default(null),
        /** Days the series has no visit (holidays): stored as skipped visits. */
        skipDates: z.array(storedDay).max(MAX_SKIPS, `at most ${MAX_SKIPS} days`).default([]),
      })
      .superRefine(seasonOrder),
    output: z.object({ series: seriesView, summary: seriesSummary }),
  },
  /** The series a visit (or a series row) belongs to. */
  'series.get': {
    input: z.strictObject({ id }),
    output: seriesView,
  },
  /**
   * Changes a series from one of its visits: that visit alone ('this', which makes it an
   * exception), it and the ones after it ('following'), or every visit to come ('all').
   */
  'series.update': {
    input: z
      .strictObject({
        visitId: id,
        scope: z.enum(['this', 'following', 'all'], {
          message: 'must be this visit, this and following, or the whole series',
        }),
        changes: seriesChange,
      })
      .superRefine((v, ctx) => {
        // An empty change would still set a visit apart from its series ('this') or
        // split the series ('following'): nothing asked, nothing done.
        if (Object.keys(v.changes).length === 0)
          ctx.addIssue({ code: 'custom', path: ['changes'], message: 'must change something' })
        if (v.scope === 'this' && (v.changes.rule || v.changes.endsOn !== undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['scope'],
            message:
              'how a series repeats is changed for this and following visits, or all of them',
          })
        }
      }),
    output: z.object({ series: seriesView, summary: seriesSummary }),
  },
  /** Skips one visit: it is cancelled, and the series never books that day again. */
  'series.skip': {
    input: z.strictObject({ visitId: id }),
    output: z.object({ visitId: id, occurrence: day }),
  },
  /**
   * The visits the rolling horizon booked on its own that double-book their crew member,
   * as they stand now (still to come, still clashing).
   */
  'series.clashes': {
    input: z.strictObject({}),
    output: z.object({ clashes: z.array(horizonClash) }),
  },
  /** Keeps a visit the horizon booked as it is, double-booked: it leaves the list. */
  'series.keepClash': {
    input: z.strictObject({ visitId: id }),
    output: z.object({ visitId: id }),
  },
  /** Ends a series from a visit on ('following'), or removes every visit to come ('all'). */
  'series.end': {
    input: z.strictObject({
      visitId: id,
      scope: z.enum(['following', 'all'], {
        message: 'must be this and following, or the whole series',
      }),
    }),
    output: seriesSummary,
  },
} as const
