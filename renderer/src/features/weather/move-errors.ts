import { ApiError } from '../../api/client'

/**
 * Why a move was refused, in plain words for the dialog that asked for it. Moves are
 * applied all or none, so any refusal means nothing moved.
 */
export function moveProblem(err: unknown): string {
  if (!(err instanceof ApiError)) return `Nothing was moved: ${String(err)}`
  const { code, issues } = err.error
  // Core messages are sentences of their own; they go inside one here.
  const message = err.error.message.replace(/\.$/, '')
  switch (code) {
    case 'CONFLICT':
      return `Nothing was moved: ${message}. Choose another option, or look at the calendar first.`
    case 'NOT_FOUND':
      return 'Nothing was moved: a job in the plan no longer exists (it may have been deleted meanwhile).'
    case 'FORBIDDEN':
      return `You may not move these jobs: ${message}.`
    case 'UNAVAILABLE':
      return 'Nothing was moved: the app is not reachable just now. Try again in a moment.'
    case 'VALIDATION': {
      const details = (issues ?? []).map((i) => i.message.replace(/\.$/, '')).join('; ')
      return `Nothing was moved: ${details || message}.`
    }
    default:
      return `Nothing was moved: ${message}.`
  }
}
