import { type FocusEvent, useRef, useState } from 'react'
import { useChannel } from '../../api/queries'

/**
 * Narrows a list to one client: type part of a name, pick from the matches. With a
 * client chosen it shows their name and a way back to everyone.
 */
export function ClientFilter(props: { clientId: string; onChange: (clientId: string) => void }) {
  const [search, setSearch] = useState('')
  // The matches show while the field (or a match) has the focus; Escape hides them.
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  const chosen = useChannel('clients.get', { id: props.clientId }, { enabled: !!props.clientId })
  const matches = useChannel(
    'clients.list',
    { search: search.trim(), limit: 8, includeArchived: true },
    { enabled: !props.clientId && search.trim().length > 0, keepPrevious: true },
  )
  if (props.clientId)
    return (
      <div className="field client-filter">
        <span className="field-label">Client</span>
        <span className="chosen">
          <strong>{chosen.data?.name ?? '…'}</strong>
          <button
            type="button"
            className="link"
            aria-label="Clear the client filter"
            onClick={() => props.onChange('')}
          >
            All clients
          </button>
        </span>
      </div>
    )
  // Focus moving outside the field and its matches closes them.
  const leave = (e: FocusEvent) => {
    if (!box.current?.contains(e.relatedTarget as Node | null)) setOpen(false)
  }
  const shown = open && search.trim() ? (matches.data?.results ?? []) : []
  return (
    <div className="field client-filter" ref={box}>
      <label htmlFor="client-filter">Client</label>
      <input
        id="client-filter"
        type="search"
        placeholder="Any client: type a name"
        autoComplete="off"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onFocus={() => setOpen(true)}
        onBlur={leave}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            // Only the list closes, never a dialog around it.
            e.stopPropagation()
            setOpen(false)
          }
        }}
      />
      {shown.length > 0 && (
        <ul className="client-matches" aria-label="Matching clients">
          {shown.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                onBlur={leave}
                onClick={() => {
                  setSearch('')
                  props.onChange(c.id)
                }}
              >
                {c.name}
                {c.email && <span className="muted small"> {c.email}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {open && search.trim() && matches.data?.count === 0 && (
        <small className="hint">No client matches “{search.trim()}”</small>
      )}
    </div>
  )
}
