/**
 * Errors cross every boundary (IPC, HTTP) as data: Electron does not carry an Error's
 * fields across IPC, and callers branch on `code`, never on message text.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAVAILABLE',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorIssue {
  path: string
  message: string
}

export interface ErrorData {
  code: ErrorCode
  message: string
  issues?: ErrorIssue[]
  /** When trying again makes sense (a PIN locked for a while): in this many ms. */
  retryAfterMs?: number
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorData }

export class AppError extends Error {
  override name = 'AppError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options)
    this.retryAfterMs = options?.retryAfterMs
  }

  readonly retryAfterMs: number | undefined

  toData(): ErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    }
  }
}
