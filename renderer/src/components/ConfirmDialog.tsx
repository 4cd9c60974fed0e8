import type { ReactNode } from 'react'
import { Dialog } from './Dialog'

/**
 * Asks before one thing is done to `item` (a backup deleted, restored, data put back):
 * Cancel, or the action named `confirm`. Open while `item` is set.
 */
export function ConfirmDialog<T>(props: {
  title: string
  item: T | null
  onCancel: () => void
  confirm: string
  onConfirm: (item: T) => void
  /** `danger` for what cannot be taken back. */
  tone?: 'primary' | 'danger'
  /** While something else runs, the action waits. */
  disabled?: boolean
  children: ReactNode
}) {
  const { item } = props
  return (
    <Dialog
      title={props.title}
      role="alertdialog"
      open={item !== null}
      onClose={props.onCancel}
      footer={
        <>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={props.tone ?? 'primary'}
            disabled={props.disabled}
            onClick={() => item !== null && props.onConfirm(item)}
          >
            {props.confirm}
          </button>
        </>
      }
    >
      {props.children}
    </Dialog>
  )
}
