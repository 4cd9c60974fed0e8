import type { FormEvent, ReactNode } from 'react'
import { Dialog } from './Dialog'
import { FormActions } from './FormActions'

/**
 * The add / edit dialog of a record (client, crew member, service, product): a form
 * that starts afresh for each record, with Cancel / Save at its foot.
 */
export function RecordDialog(props: {
  record: { id?: string; name?: string } | null
  noun: string
  onClose: () => void
  onSubmit: (e: FormEvent<HTMLFormElement>) => void
  wide?: boolean
  children: ReactNode
}) {
  const { record } = props
  return (
    <Dialog
      title={record?.id ? `Edit ${record.name}` : `New ${props.noun}`}
      open={record !== null}
      onClose={props.onClose}
      {...(props.wide ? { wide: true } : {})}
    >
      <form className="form-grid" onSubmit={props.onSubmit} noValidate key={record?.id ?? 'new'}>
        {props.children}
        <FormActions onCancel={props.onClose} />
      </form>
    </Dialog>
  )
}
