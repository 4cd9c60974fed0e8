import type { AppointmentStatus } from '../../../../shared/domain/enums'
import { STATUS_COLORS } from '../../stores/calendar'

/** How the calendar colours its jobs: the "Color by" choice. */
export type ColorBy = 'member' | 'status'

/** A job's tile: its fill and the words on it. */
export interface TileColors {
  background: string
  text: string
}

/** A job without a crew member's colour (unassigned, or a colour not known yet). */
export const NO_MEMBER_COLOR = '#607d8b'
const DARK_TEXT = '#1b2420'
const LIGHT_TEXT = '#ffffff'
/**
 * A cancelled job reads as dark words struck out on a pale tile, whatever the choice:
 * faded white words on a colour are unreadable (on the white of the "+N" list too).
 */
const CANCELLED: TileColors = { background: '#eef1f3', text: '#37474f' }

/** WCAG relative luminance of a #rrggbb colour (0 black, 1 white). */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

/** WCAG contrast ratio of two colours' luminances, 1 to 21. */
const ratio = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)

/** White or near-black words on a fill: whichever contrasts more with it. */
export function readableText(background: string): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(background)) return LIGHT_TEXT
  const l = luminance(background)
  return ratio(l, luminance(LIGHT_TEXT)) >= ratio(l, luminance(DARK_TEXT)) ? LIGHT_TEXT : DARK_TEXT
}

/**
 * A job's tile colours on every calendar layout (FullCalendar's views, the day by crew
 * and the week by crew): its crew member's colour or its status's, with readable words.
 * One rule, so "Color by" means the same wherever the office looks.
 */
export function tileColors(
  job: { status: AppointmentStatus; teamMemberId: string | null },
  colorBy: ColorBy,
  memberColor: (teamMemberId: string) => string | undefined,
): TileColors {
  if (job.status === 'cancelled') return CANCELLED
  const background =
    colorBy === 'status'
      ? STATUS_COLORS[job.status]
      : (job.teamMemberId && memberColor(job.teamMemberId)) || NO_MEMBER_COLOR
  return { background, text: readableText(background) }
}
