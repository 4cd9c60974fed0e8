import { zodResolver } from '@hookform/resolvers/zod'
import { useEffect } from 'react'
import {
  type FieldValues,
  type Path,
  type Resolver,
  type UseFormReturn,
  useForm,
} from 'react-hook-form'
import type { z } from 'zod'
import { toast } from '../stores/toasts'
import { ApiError } from './client'

/**
 * Record forms validate with the contract's own zod schema (react-hook-form with
 * zodResolver): the messages a person sees are the ones the core would answer with.
 * `toInput` turns what the inputs hold (local times, numbers as typed) into the
 * channel's input before validation; `absent` words the message for a field left
 * empty ("Choose a client") where the schema's own would not help.
 */
export function useContractForm<Values extends FieldValues, S extends z.ZodType>(opts: {
  schema: S
  defaultValues: Values
  toInput?: (values: Values) => unknown
  absent?: Partial<Record<string, string>>
}): UseFormReturn<Values, unknown, z.output<S>> {
  const { schema, toInput, absent } = opts
  const validate = zodResolver(schema as never) as unknown as Resolver<
    FieldValues,
    unknown,
    z.output<S>
  >
  const resolver: Resolver<Values, unknown, z.output<S>> = async (values, context, options) => {
    const input = (toInput ? toInput(values) : values) as Record<string, unknown>
    const result = await validate(input, context, options as never)
    for (const [field, message] of Object.entries(absent ?? {})) {
      const error = result.errors[field]
      const value = input[field]
      if (error && message && (value === undefined || value === '')) error.message = message
    }
    return result as never
  }
  const form = useForm<Values, unknown, z.output<S>>({
    defaultValues: opts.defaultValues as never,
    resolver,
    // react-hook-form would focus the first refused field it registered, which need not
    // be the first on screen (a picker without a ref is passed over): done below instead.
    shouldFocusError: false,
  })
  const { submitCount, errors } = form.formState
  const refused = Object.keys(errors).length > 0
  useEffect(() => {
    if (!submitCount || !refused) return
    // After the refused fields are marked: the first of them as the form lays them out.
    requestAnimationFrame(() => {
      const scope = document.querySelector('dialog[open]') ?? document
      scope.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
    })
  }, [submitCount, refused])
  return form
}

/**
 * Puts a refused save on the form: each issue the core names a field for goes next to
 * that field; anything else (a duplicate, a conflict, the app unreachable) shows at
 * the top of the form and as a toast, never silently dropped.
 */
export function showServerError<Values extends FieldValues>(
  form: UseFormReturn<Values, unknown, never> | UseFormReturn<Values, unknown, unknown>,
  err: unknown,
): void {
  const fields = new Set(Object.keys(form.getValues()))
  const issues = err instanceof ApiError ? (err.error.issues ?? []) : []
  const unplaced: string[] = []
  for (const issue of issues) {
    const field = issue.path.split('.')[0] ?? ''
    if (fields.has(field)) form.setError(field as Path<Values>, { message: issue.message })
    else unplaced.push(issue.path ? `${issue.path} ${issue.message}` : issue.message)
  }
  const placed = issues.length > 0 && unplaced.length === 0
  if (placed) return
  const message =
    unplaced.join('; ') || (err instanceof Error ? err.message : 'the change was not saved')
  form.setError('root.server' as Path<Values>, { message })
  toast.error(message)
}

/** The message of a field, for <Field error=…>. */
export function fieldError(form: { formState: { errors: FieldValues } }, name: string) {
  const e = form.formState.errors[name] as { message?: unknown } | undefined
  return typeof e?.message === 'string' ? e.message : undefined
}
