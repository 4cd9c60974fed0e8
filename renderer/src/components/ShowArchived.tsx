/** "Show archived": lists archived records beside the others, to look at or restore. */
export function ShowArchived(props: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      Show archived
    </label>
  )
}
