import { type KeyboardEvent, type ReactNode, useEffect, useId, useState } from 'react'
import './combobox.css'

export interface ComboOption {
  id: string
  label: string
  /** A second line in the list (an address, an offset), not part of the choice's name. */
  detail?: string | undefined
}

/**
 * One text field that filters a list as you type, after the ARIA combobox pattern: the
 * input is a `combobox`, the list a `listbox` of `option`s, the highlighted option
 * named by `aria-activedescendant`, so focus never leaves the input. Arrows move, Enter
 * chooses, Escape closes the list (not the dialog around it).
 *
 * Written here rather than taken from a library because none is among the app's
 * dependencies and the pattern is small; the caller does the searching (a channel for
 * clients, a filter for time zones), this only shows and picks.
 */
export function Combobox(props: {
  /** Set by `Field`: the input's id and its description. */
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
  /** The chosen option's label, shown when the field is not being typed in. */
  selectedLabel: string
  options: readonly ComboOption[]
  /** Called as the text changes, to search again. */
  onQuery: (text: string) => void
  onChoose: (option: ComboOption) => void
  /** The field emptied and left: nothing chosen. */
  onClear?: () => void
  placeholder?: string
  disabled?: boolean
  loading?: boolean
  /** The list's name for assistive technology ("Clients"). */
  listLabel: string
  /** Said in the list when nothing matches the text. */
  noMatch: string
  /** Under the options (e.g. "Showing the first 20: type more to narrow"). */
  footer?: ReactNode
}) {
  const listId = useId()
  const [text, setText] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const shown = text ?? props.selectedLabel
  const { options } = props
  const activeOption = open ? options[Math.min(active, options.length - 1)] : undefined

  // Keeps the highlighted option in view as the arrows move through a long list.
  useEffect(() => {
    if (activeOption)
      document
        .getElementById(optionId(listId, activeOption.id))
        ?.scrollIntoView({ block: 'nearest' })
  }, [activeOption, listId])

  function choose(option: ComboOption) {
    props.onChoose(option)
    setText(null)
    setOpen(false)
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (!open) {
        setOpen(true)
        setActive(0)
        if (text === null) props.onQuery('')
        return
      }
      const step = e.key === 'ArrowDown' ? 1 : -1
      setActive((i) => Math.max(0, Math.min(options.length - 1, i + step)))
    } else if (e.key === 'Enter' && open) {
      e.preventDefault()
      if (activeOption) choose(activeOption)
    } else if (e.key === 'Escape' && open) {
      e.preventDefault()
      e.stopPropagation()
      setOpen(false)
      setText(null)
    }
  }

  return (
    <div className="combobox">
      <input
        id={props.id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeOption ? optionId(listId, activeOption.id) : undefined}
        aria-invalid={props['aria-invalid']}
        aria-describedby={props['aria-describedby']}
        placeholder={props.placeholder}
        disabled={props.disabled}
        value={shown}
        onChange={(e) => {
          setText(e.target.value)
          setOpen(true)
          setActive(0)
          props.onQuery(e.target.value)
        }}
        onFocus={(e) => e.currentTarget.select()}
        onClick={() => {
          if (!open) {
            setOpen(true)
            props.onQuery(text ?? '')
          }
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setOpen(false)
          if (text !== null && text.trim() === '') props.onClear?.()
          setText(null)
        }}
      />
      <div className="combobox-popup" hidden={!open}>
        <div id={listId} role="listbox" aria-label={props.listLabel}>
          {options.map((o) => (
            <div
              key={o.id}
              id={optionId(listId, o.id)}
              role="option"
              // Reached through the input's aria-activedescendant, never tabbed to.
              tabIndex={-1}
              aria-selected={o === activeOption}
              // Chosen on mousedown, before the input's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault()
                choose(o)
              }}
            >
              <span>{o.label}</span>
              {o.detail && <small className="muted">{o.detail}</small>}
            </div>
          ))}
        </div>
        {options.length === 0 && (
          <p className="combobox-note muted">{props.loading ? 'Searching…' : props.noMatch}</p>
        )}
        {props.footer && options.length > 0 && (
          <p className="combobox-note muted">{props.footer}</p>
        )}
      </div>
    </div>
  )
}

const optionId = (listId: string, id: string) => `${listId}-${id.replace(/[^\w-]/g, '_')}`
