import { z } from 'zod'
import { isValidTimeZone, zoneSpelling } from '../domain/time'
import { DEFAULT_UNITS, UNIT_SYSTEMS } from '../weather/units'

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 07:30')

/** 0 = Sunday ... 6 = Saturday. */
const weekdays = z
  .array(z.number().int().min(0).max(6))
  .max(7)
  .refine((d) => new Set(d).size === d.length, 'must not repeat a day')
const hours = (days: typeof weekdays) =>
  z
    .object({ start: clock, end: clock, days })
    .refine((h) => h.start < h.end, { message: 'must end after it starts', path: ['end'] })

const units = z.enum(UNIT_SYSTEMS, { error: 'must be metric or US' })

/**
 * How the business works: the calendar shows its time zone and highlights its hours;
 * weather amounts are worded in its units (metric: mm, km/h, °C; us: inches, mph, °F),
 * while every amount is stored metric.
 */
export const businessSettings = z.object({
  timeZone: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as America/Chicago')
    .transform(zoneSpelling),
  workingHours: hours(weekdays),
  units,
})
export type BusinessSettings = z.infer<typeof businessSettings>

/** The id of the one business settings row, the same on every laptop and the server. */
export const BUSINESS_SETTINGS_ID = '00000000-0000-4000-8000-000000000001'

export const DEFAULT_SETTINGS: BusinessSettings = {
  timeZone: 'America/Chicago',
  workingHours: { start: '07:00', end: '18:00', days: [1, 2, 3, 4, 5, 6] },
  units: DEFAULT_UNITS,
}

export const settingsContract = {
  'settings.get': { input: z.strictObject({}), output: businessSettings },
  'settings.update': {
    input: z.strictObject({
      timeZone: businessSettings.shape.timeZone.optional(),
      // A business that works no day at all greys its whole calendar: refused on saving.
      workingHours: hours(weekdays.min(1, 'must include at least one day')).optional(),
      units: units.optional(),
    }),
    output: businessSettings,
  },
} as const
