/** The Cancel / Save row at the foot of a form. */
export function FormActions(props: { onCancel: () => void; submitLabel?: string; busy?: boolean }) {
  return (
    <div className="form-actions">
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      <button type="submit" className="primary" disabled={props.busy}>
        {props.submitLabel ?? 'Save'}
      </button>
    </div>
  )
}
