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
  }
  return out
}
