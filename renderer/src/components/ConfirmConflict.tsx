import { Dialog } from './Dialog'

/** Asked when the core reports a double booking: keep both, or cancel the change. */
export function ConfirmConflict(props: {
  message: string | null
  onKeepBoth: () => void
  onCancel: () => void
}) {
  return (
    <Dialog
      title="Double booking"
      role="alertdialog"
      open={props.message !== null}
      onClose={props.onCancel}
      footer={
        <>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={props.onKeepBoth}>
            Keep both
          </button>
        </>
      }
    >
      <p>{props.message}</p>
      <p className="muted">Keep both to book anyway; the crew member will have two jobs at once.</p>
    </Dialog>
  )
}
