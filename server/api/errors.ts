/**
 * Error bodies of the REST API, in the style of the original Django REST Framework
 * service, so its web and mobile clients keep reading them:
 * - 400 for bad input: `{ "<field>": ["<sentence>", ...], ... }`, every refused field at
 *   once (a problem that is not one field's goes under `non_field_errors`, as in DRF);
 * - every other error: `{ "detail": "<sentence>" }`.
 * Both also carry `correlation_id` (the request's X-Correlation-Id), as the original's
 * Part 2 API did, so no other key is a field. Messages are plain English sentences;
 * they never repeat what the caller sent (user data stays out of responses and logs).
 */
export type ErrorBody = Record<string, string[] | string>

/** Thrown by handlers and prechecks; has no `code`, so the push machinery rethrows it as is. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
  ) {
    super(typeof body.detail === 'string' ? body.detail : 'invalid request')
  }
}

export const detail = (statusCode: number, message: string) =>
  new ApiError(statusCode, { detail: sentence(message) })

export const fieldError = (field: string, message: string) =>
  new ApiError(400, { [field]: [sentence(message)] })

/**
 * A message as a sentence: the app's schemas speak in predicates ("is required", "must be
 * at most 100"), which read as "This field is required." here; the shared rules' reasons
 * ("a crew lead may only book follow-up visits") get a capital and a full stop.
 */
export function sentence(message: string, subject = 'This field'): string {
  const text = /^(is|must|contains|has|are)\b/.test(message)
    ? `${subject} ${message}`
    : message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?]$/.test(text) ? text : `${text}.`
}

/**
 * Refused input as DRF field errors, keyed by the top-level field (a bad item of a list
 * is its list's error); each message is listed once.
 */
export function fieldErrors(
  issues: readonly { field: string | undefined; message: string }[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const issue of issues) {
    const key = issue.field || 'non_field_errors'
    const list = out[key] ?? []
    const text = sentence(issue.message, issue.field ? 'This field' : 'The body')
    if (!list.includes(text)) list.push(text)
    out[key] = list
  }
  return out
}
