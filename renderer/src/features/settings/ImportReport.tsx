import type { ChannelOutput } from '../../../../shared/contract'
import { HORIZON_DAYS } from '../../../../shared/domain/series'
import { plural } from '../../app/format'
import { toast } from '../../stores/toasts'

type Report = ChannelOutput<'data.import'>

/** "2, 5, 9" or "2, 5, 9, … (40 in all)": the lines of one outcome, not a wall of numbers. */
function lineList(lines: number[], max = 12): string {
  const shown = lines.slice(0, max).join(', ')
  return lines.length > max ? `${shown}, … (${lines.length} in all)` : shown
}

/** One line of the summary: what the import did, or why it did nothing. */
export function importSummary(r: Report): string {
  const read = `${plural(r.rows, 'row')} read`
  if (!r.written) {
    return `${read}, nothing imported: ${plural(r.refused, 'row')} ${r.refused === 1 ? 'has' : 'have'} problems. Fix them, or import the good rows even if some are bad.`
  }
  const parts = r.visits
    ? [
        `${plural(r.created, 'series', 'series')} added`,
        `${r.skipped.toLocaleString()} already here`,
      ]
    : [
        `${r.created.toLocaleString()} added`,
        `${r.updated.toLocaleString()} updated`,
        `${r.skipped.toLocaleString()} unchanged`,
      ]
  if (r.refused) parts.push(`${r.refused.toLocaleString()} refused`)
  return `${read}: ${parts.join(', ')}.`
}

/** "96 visits booked, 2 double-book their crew member": what the new series booked. */
export function visitsSummary(v: NonNullable<Report['visits']>): string {
  // A season that starts later than the booking horizon: nothing is wrong, say when.
  if (v.booked === 0)
    return `No visits booked yet: visits are booked ${HORIZON_DAYS / 7} weeks ahead, so these come as their first days draw near.`
  const booked = `${plural(v.booked, 'visit')} booked`
  if (!v.clashCount) return `${booked}, none double-booked.`
  return `${booked}, ${v.clashCount.toLocaleString()} ${v.clashCount === 1 ? 'double-books its' : 'double-book their'} crew member: review ${v.clashCount === 1 ? 'it' : 'them'} below.`
}

/** The last import's outcome, row by row. */
export function ImportReport({ report }: { report: Report }) {
  const outcomes = [
    ['Added', report.lines.created],
    ['Updated', report.lines.updated],
    ['Unchanged', report.lines.skipped],
  ] as const
  return (
    <div className="import-report" role="status" aria-label="Import report">
      <p>{importSummary(report)}</p>
      {report.written && report.visits && (
        <>
          <p>{visitsSummary(report.visits)}</p>
          {report.visits.clashes.length > 0 && (
            <ul aria-label="Double bookings">
              {report.visits.clashes.map((c) => (
                <li key={c.visitId}>
                  {c.teamMemberName}, {c.when}: with {c.with.map((w) => w.text).join('; ')}
                </li>
              ))}
              {report.visits.clashCount > report.visits.clashes.length && (
                <li>
                  … and {(report.visits.clashCount - report.visits.clashes.length).toLocaleString()}{' '}
                  more
                </li>
              )}
            </ul>
          )}
        </>
      )}
      {report.written && (
        <dl className="import-lines">
          {outcomes
            .filter(([, lines]) => lines.length > 0)
            .map(([label, lines]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>
                  {lines.length === 1 ? 'Line' : 'Lines'} {lineList(lines)}
                </dd>
              </div>
            ))}
        </dl>
      )}
      {report.errors.length > 0 && (
        <>
          <ul aria-label="Problems">
            {report.errors.slice(0, SHOWN).map((e) => (
              <li key={`${e.line}-${e.field}-${e.message}`}>{problemLine(e)}</li>
            ))}
            {report.errors.length > SHOWN && (
              <li>… and {(report.errors.length - SHOWN).toLocaleString()} more</li>
            )}
          </ul>
          {report.errors.length > SHOWN && (
            <button type="button" onClick={() => void copyProblems(report.errors)}>
              Copy all {report.errors.length.toLocaleString()} problems
            </button>
          )}
        </>
      )}
    </div>
  )
}

/** Problems listed on screen; the rest are counted, and copied whole on request. */
const SHOWN = 50

const problemLine = (e: { line: number; field?: string | null; message: string }) =>
  `Line ${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`

/** Every problem, one per line, to paste beside the file while fixing it. */
async function copyProblems(errors: { line: number; field?: string | null; message: string }[]) {
  try {
    await navigator.clipboard.writeText(errors.map(problemLine).join('\n'))
    toast.success(`${errors.length.toLocaleString()} problems copied`)
  } catch {
    toast.error('The problems could not be copied')
  }
}
