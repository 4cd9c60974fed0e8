import { useEffect, useMemo, useState } from 'react'
import type { Client } from '../../../shared/contract/clients'
import { useChannel } from '../api/queries'
import { Combobox } from './Combobox'

/** How many matches the list shows: typing more narrows a search over every client. */
const SHOWN = 20
const NONE: Client[] = []

/**
 * The client of a job: one field that searches every client (`clients.list` with the
 * text typed, in the core, not a list loaded beforehand) and picks one.
 */
export function ClientPicker(props: {
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
  /** The chosen client's id, and its name when the form starts with one (editing). */
  value: string
  initialName?: string | undefined
  onChange: (client: Client | null) => void
  disabled?: boolean
  /** Archived clients too (a filter over past messages), not only those who can be booked. */
  includeArchived?: boolean
  placeholder?: string
}) {
  const [query, setQuery] = useState('')
  const [searched, setSearched] = useState('')
  const [chosen, setChosen] = useState<Client | null>(null)
  // A keystroke's search waits for the next: a fast typist asks once, not per letter.
  useEffect(() => {
    const t = setTimeout(() => setSearched(query.trim()), 120)
    return () => clearTimeout(t)
  }, [query])
  const found = useChannel(
    'clients.list',
    {
      limit: SHOWN,
      ...(searched ? { search: searched } : {}),
      ...(props.includeArchived ? { includeArchived: true } : {}),
    },
    { keepPrevious: true },
  )
  // Only the answer to what is typed now: Enter must never pick from an older search.
  const settled = query.trim() === searched && !found.isPlaceholderData
  const rows = (settled && found.data?.results) || NONE
  const options = useMemo(
    () =>
      rows.map((c) => ({
        id: c.id,
        label: c.name,
        detail: [c.address, c.phone ?? c.email].filter(Boolean).join(' · ') || undefined,
      })),
    [rows],
  )
  const count = found.data?.count ?? 0
  const label =
    chosen?.id === props.value ? chosen.name : props.value ? (props.initialName ?? '') : ''
  return (
    <Combobox
      id={props.id}
      aria-invalid={props['aria-invalid']}
      aria-describedby={props['aria-describedby']}
      selectedLabel={label}
      options={options}
      onQuery={setQuery}
      onChoose={(o) => {
        const client = rows.find((c) => c.id === o.id) ?? null
        setChosen(client)
        props.onChange(client)
      }}
      onClear={() => {
        setChosen(null)
        props.onChange(null)
      }}
      placeholder={props.placeholder ?? 'Type a name, email, phone, address or postcode'}
      disabled={props.disabled}
      loading={!settled || found.isFetching}
      listLabel="Clients"
      noMatch={searched ? `No client matches “${searched}”` : 'No clients yet'}
      footer={count > rows.length ? `${rows.length} of ${count} shown: type more to narrow` : null}
    />
  )
}
