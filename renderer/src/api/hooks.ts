import { toast } from '../stores/toasts'
import { ApiError } from './client'

/** Field errors by path from a VALIDATION error (or a zod result), for forms. */
export type FieldErrors = Record<string, string>

export function fieldErrors(error: unknown): FieldErrors {
  const out: FieldErrors = {}
  const issues =
    error instanceof ApiError
      ? (error.error.issues ?? [])
      : ((error as { issues?: { path: (string | number)[] | string; message: string }[] })
          ?.issues ?? [])
  for (const issue of issues) {
    const path = Array.isArray(issue.path) ? issue.path.join('.') : issue.path
    const key = path.split('.')[0] ?? ''
    if (!out[key]) out[key] = issue.message
    // The whole path too, for a form that shows a nested field's message on that field.
    if (path !== key && !out[path]) out[path] = issue.message
  }
  return out
}

/**
 * A refused save on a plain form: the fields the core names get their messages beside
 * them; only an error that names no field (a wrong PIN, the app unreachable) is a toast,
 * so a field's message is not said twice.
 */
export function showFieldErrors(err: unknown, setErrors: (errors: FieldErrors) => void): void {
  const errors = fieldErrors(err)
  setErrors(errors)
  if (!Object.keys(errors).length) toast.error(err instanceof ApiError ? err.message : String(err))
}
