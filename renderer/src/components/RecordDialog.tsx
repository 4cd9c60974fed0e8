import type { ReactNode } from 'react'
import type { FieldValues, UseFormReturn } from 'react-hook-form'
import { showServerError } from '../api/forms'
import { Dialog } from './Dialog'
import { FormActions } from './FormActions'
import { UnsavedDialog, useUnsavedChanges } from './UnsavedChanges'

/**
 * The add / edit dialog of a record (client, crew member, service, product): a
 * react-hook-form form, validated by the contract's schema, with Cancel / Save at its
 * foot. The parent mounts it per record, so each record starts afresh. A refused save
 * lands on its fields, or at the top of the form. Closing it with changes typed (Cancel,
 * Escape, the close button, another screen) asks before they are dropped.
 */
export function RecordDialog<Values extends FieldValues, Output>(props: {
  record: { id?: string | undefined; name?: string | undefined }
  noun: string
  form: UseFormReturn<Values, unknown, Output>
  onSave: (input: Output) => Promise<void>
  onClose: () => void
  wide?: boolean
  /** Shown under the form (what the record has, beside what it is): not part of the save. */
  aside?: ReactNode
  children: ReactNode
}) {
  const { record, form } = props
  const problem = (form.formState.errors.root as { server?: { message?: string } } | undefined)
    ?.server?.message
  // While a save is under way nothing is held: a save that leads elsewhere (the plan
  // after time off) goes; one refused holds the changes again.
  const guard = useUnsavedChanges(form.formState.isDirty && !form.formState.isSubmitting)
  const close = () => guard.confirm(props.onClose)
  const submit = form.handleSubmit(async (input) => {
    try {
      await props.onSave(input)
    } catch (err) {
      showServerError(form as never, err)
    }
  })
  return (
    <Dialog
      title={record.id ? `Edit ${record.name}` : `New ${props.noun}`}
      open
      onClose={close}
      {...(props.wide ? { wide: true } : {})}
    >
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {problem && (
          <p role="alert" className="form-error">
            {problem}
          </p>
        )}
        {props.children}
        <FormActions onCancel={close} busy={form.formState.isSubmitting} />
      </form>
      {props.aside}
      <UnsavedDialog
        guard={guard}
        what={record.id ? (record.name ?? `this ${props.noun}`) : `the new ${props.noun}`}
      />
    </Dialog>
  )
}
