import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from './client'

/** Loads data for a screen; `reload` re-runs it. Stale answers never overwrite newer ones. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(true)
  const seq = useRef(0)
  const run = useCallback(() => {
    const mine = ++seq.current
    setLoading(true)
    load()
      .then((d) => {
        if (mine !== seq.current) return
        setData(d)
        setError(null)
      })
      .catch((e: unknown) => {
        if (mine !== seq.current) return
        setError(e instanceof ApiError ? e : new ApiError({ code: 'INTERNAL', message: String(e) }))
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false)
      })
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `load` depends on
  }, deps)
  useEffect(run, [run])
  return { data, error, loading, reload: run }
}

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
