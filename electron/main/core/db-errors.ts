import { AppError } from '../../../shared/errors'

/**
 * Maps PostgreSQL errors to the contract's codes. Messages name the constraint's
 * meaning, never the values involved (they may be personal data).
 */
export function fromDbError(e: unknown): AppError | null {
  const code = (e as { code?: unknown })?.code
  if (typeof code !== 'string') return null
  const constraint = (e as { constraint?: string }).constraint
  switch (code) {
    case '23505': {
      // Names kept unique among live rows (migration 0005's triggers): said on the field.
      const named = /^(services|products)_name_live_key$/.exec(constraint ?? '')?.[1]
      if (named) {
        const what = named === 'services' ? 'service' : 'product'
        return new AppError(
          'CONFLICT',
          `Another ${what} already has this name`,
          [{ path: 'name', message: `is already the name of another ${what}` }],
          { cause: e },
        )
      }
      return new AppError('CONFLICT', 'a record with the same name already exists', undefined, {
        cause: e,
      })
    }
    case '23503':
      return new AppError('NOT_FOUND', 'a record this refers to does not exist', undefined, {
        cause: e,
      })
    case '23514':
    case '23502':
      return new AppError(
        'VALIDATION',
        `the change breaks a data rule${constraint ? ` (${constraint})` : ''}`,
        undefined,
        { cause: e },
      )
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22001':
    case '22021':
    case '22P05':
      return new AppError('VALIDATION', 'a value is malformed or out of range', undefined, {
        cause: e,
      })
    case '55P03':
    case '40001':
    case '40P01':
      return new AppError('CONFLICT', 'the record is busy; try again', undefined, { cause: e })
    default:
      return null
  }
}
