import { cloneElement, type ReactElement, useId } from 'react'

/** A labelled form control with its error message wired for assistive technology. */
export function Field(props: {
  label: string
  error?: string | undefined
  hint?: string
  children: ReactElement<Record<string, unknown>>
}) {
  const id = useId()
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const describedBy = [props.error ? errorId : '', props.hint ? hintId : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {cloneElement(props.children, {
        id,
        'aria-invalid': props.error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {props.hint && (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={errorId} className="error-text">
          {props.error}
        </small>
      )}
    </div>
  )
}
