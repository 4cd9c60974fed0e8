import { useCallback, useEffect, useRef, useState } from 'react'
import { guardLeaving } from '../app/router'
import { Dialog } from './Dialog'

/** A form's unsaved changes, held: what the dialog asking about them needs. */
export interface UnsavedGuard {
  /** What to do once the person agrees to drop the changes; null while nobody asks. */
  asking: (() => void) | null
  /** Runs `drop` now when nothing is changed, else once the person agrees. */
  confirm(drop: () => void): void
  keep(): void
  discard(): void
}

/**
 * While `changed`, closing the window asks (the browser's own question) and leaving the
 * screen by a link or another section asks first (UnsavedDialog). `onDiscard` clears the
 * form's own idea of what is changed when the person drops the changes.
 */
export function useUnsavedChanges(changed: boolean, onDiscard?: () => void): UnsavedGuard {
  const [asking, setAsking] = useState<(() => void) | null>(null)
  const release = useRef<(() => void) | null>(null)
  useEffect(() => {
    if (!changed) return
    const hold = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', hold)
    const letGo = guardLeaving((go) => setAsking(() => go))
    release.current = letGo
    return () => {
      window.removeEventListener('beforeunload', hold)
      letGo()
      if (release.current === letGo) release.current = null
    }
  }, [changed])
  return {
    asking,
    confirm: (drop) => (changed ? setAsking(() => drop) : drop()),
    keep: () => setAsking(null),
    discard: () => {
      const drop = asking
      setAsking(null)
      // Let go at once: the way out must not be held again by this form.
      release.current?.()
      release.current = null
      onDiscard?.()
      drop?.()
    },
  }
}

/** "Your changes to … are not saved": keep editing, or drop them and go on. */
export function UnsavedDialog({ guard, what }: { guard: UnsavedGuard; what: string }) {
  return (
    <Dialog
      title="Leave your changes?"
      open={guard.asking !== null}
      onClose={guard.keep}
      role="alertdialog"
    >
      <p>Your changes to {what} are not saved.</p>
      <div className="form-actions">
        <button type="button" onClick={guard.keep}>
          Keep editing
        </button>
        <button type="button" className="danger" onClick={guard.discard}>
          Discard changes
        </button>
      </div>
    </Dialog>
  )
}

/** A form's values as it would send them, to compare with what it showed at first. */
const formValues = (form: HTMLFormElement) =>
  JSON.stringify([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]))

/**
 * What is typed into a form that keeps its own values (inputs with `defaultValue`): the
 * form is changed while what it would send differs from what it showed at first, so
 * typing a search into a picker and leaving it with Escape changes nothing. `ref` goes
 * on the form, `onChange` on it too; `recheck` after a value set without an input event
 * (a choice from a picker's list). `saved` and `dropped` clear the change. `key`
 * remounts the form with `fresh` values (a change made elsewhere, a pull) only while
 * nothing is typed in it.
 */
export function useTypedChanges(fresh: string) {
  const [changed, setChanged] = useState(false)
  const shown = useRef(fresh)
  // Just saved: the values on screen are the saved ones; the data read before the save
  // must not be shown again while the new read is on its way.
  const before = useRef<string | null>(null)
  if (!changed && fresh !== before.current) {
    shown.current = fresh
    before.current = null
  }
  const form = useRef<HTMLFormElement | null>(null)
  const initial = useRef<string | null>(null)
  // Stable, so that React hands it each new form (a remount by `key`) and nothing else.
  const ref = useCallback((el: HTMLFormElement | null) => {
    form.current = el
    if (el) initial.current = formValues(el)
  }, [])
  const recheck = useCallback(() => {
    const el = form.current
    if (el) setChanged(formValues(el) !== initial.current)
  }, [])
  return {
    changed,
    key: shown.current,
    ref,
    onChange: recheck,
    recheck,
    saved: () => {
      before.current = fresh
      if (form.current) initial.current = formValues(form.current)
      setChanged(false)
    },
    /** The changes dropped: the form shows the data as it is again. */
    dropped: () => setChanged(false),
  }
}
