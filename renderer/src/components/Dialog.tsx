import { type ReactNode, useCallback, useEffect, useId, useRef } from 'react'

/** Where focus goes when a dialog closes, handed over by one that closed beneath it. */
const HANDED = new WeakMap<HTMLDialogElement, HTMLElement>()

/**
 * The element focused last. A button disabled while it works (Book, as it saves) loses
 * focus to the page, so a prompt opened then finds no opener: this is it.
 */
let lastFocused: HTMLElement | null = null
if (typeof document !== 'undefined')
  document.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLElement) lastFocused = e.target
  })

/**
 * Focuses `el`, or, while it is disabled (a form's submit button until the save that
 * opened a prompt settles), as soon as it is enabled, for up to about a second.
 */
function focusWhenEnabled(el: HTMLElement, frames = 60) {
  if (!(el as HTMLButtonElement).disabled) el.focus()
  else if (frames > 0 && el.isConnected)
    requestAnimationFrame(() => focusWhenEnabled(el, frames - 1))
}

/**
 * A modal dialog on the native <dialog>: focus moves in, Escape closes, the page is inert,
 * and focus goes back to what opened it when it closes, also when it closes by being
 * taken off the page (a list's Edit dialog shown only while editing).
 */
export function Dialog(props: {
  title: string
  open: boolean
  onClose: () => void
  children: ReactNode
  footer?: ReactNode
  wide?: boolean
  role?: 'dialog' | 'alertdialog'
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const opener = useRef<HTMLElement | null>(null)
  const titleId = useId()
  const giveBack = useCallback(() => {
    const self = ref.current
    const to = [opener.current, self && HANDED.get(self)].find(
      (el): el is HTMLElement =>
        !!el?.isConnected &&
        el !== document.body &&
        !self?.contains(el) &&
        !el.closest('dialog:not([open])'),
    )
    opener.current = null
    if (self) HANDED.delete(self)
    if (!to) return
    // Closed as another opened (Details → Edit): the page under that one takes no focus
    // now; it gets this one's opener back when it closes.
    const other = [...document.querySelectorAll('dialog[open]')].find((d) => d !== self)
    if (other instanceof HTMLDialogElement && !other.contains(to)) HANDED.set(other, to)
    else focusWhenEnabled(to)
  }, [])
  // Taken off the page while open: no close event to hand focus back, so it is done here.
  useEffect(() => giveBack, [giveBack])
  useEffect(() => {
    const el = ref.current
    if (!el) return
    if (props.open && !el.open) {
      const active = document.activeElement
      opener.current =
        active instanceof HTMLElement && active !== document.body
          ? active
          : lastFocused?.isConnected
            ? lastFocused
            : null
      el.showModal()
      // Focus starts on the form's first field, not on the Close button above it.
      el.querySelector<HTMLElement>(
        '.dialog-body :is(input, select, textarea):not([disabled]):not([type="hidden"])',
      )?.focus()
    }
    if (!props.open && el.open) {
      el.close()
      giveBack()
    }
  }, [props.open, giveBack])
  return (
    <dialog
      ref={ref}
      className={props.wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={titleId}
      role={props.role}
      // Only the user closes through onClose (Escape, the close button); closing because
      // `open` turned false must not report a cancel. React passes a nested dialog's
      // cancel up through its parents: Escape on a prompt inside a form closes the
      // prompt, never the form behind it.
      onCancel={(e) => {
        e.preventDefault()
        if (e.target !== e.currentTarget) return
        props.onClose()
      }}
    >
      {props.open && (
        <>
          <header className="dialog-head">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" className="icon" aria-label="Close" onClick={props.onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{props.children}</div>
          {props.footer && <footer className="dialog-foot">{props.footer}</footer>}
        </>
      )}
    </dialog>
  )
}
