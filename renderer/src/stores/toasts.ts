import { create } from 'zustand'

export interface Toast {
  id: number
  kind: 'info' | 'success' | 'error'
  message: string
  action?: { label: string; run: () => void }
  /**
   * What the toast is about (a job's id): a newer toast about the same thing replaces it,
   * so an Undo left from an earlier change (started, then completed) is not offered.
   */
  key?: string
}

interface ToastState {
  toasts: Toast[]
  push: (toast: Omit<Toast, 'id'>) => number
  dismiss: (id: number) => void
}

let next = 1

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push: (toast) => {
    const id = next++
    const others = get().toasts.filter((t) => !toast.key || t.key !== toast.key)
    set({ toasts: [...others, { ...toast, id }].slice(-4) })
    setTimeout(() => get().dismiss(id), toast.action ? 9000 : toast.kind === 'error' ? 8000 : 4000)
    return id
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}))

/** Each call returns the toast's id, for `toast.dismiss`. */
export const toast = {
  dismiss: (id: number) => useToasts.getState().dismiss(id),
  info: (message: string, action?: Toast['action']) =>
    useToasts.getState().push({ kind: 'info', message, ...(action ? { action } : {}) }),
  success: (message: string, action?: Toast['action']) =>
    useToasts.getState().push({ kind: 'success', message, ...(action ? { action } : {}) }),
  error: (message: string, action?: Toast['action']) =>
    useToasts
      .getState()
      .push({ kind: 'error', message: sentence(message), ...(action ? { action } : {}) }),
  /**
   * A change done at once, with an Undo for the few seconds the toast shows: nothing is
   * asked before (completing, deleting, archiving); a failed undo says why, and offers
   * the error's own `action` when it carries one (e.g. "Restore anyway").
   */
  undoable: (message: string, undo: () => Promise<unknown>, key?: string) =>
    useToasts.getState().push({
      kind: 'success',
      message,
      ...(key ? { key } : {}),
      action: {
        label: 'Undo',
        run: () => {
          undo().then(
            () => toast.info('Undone'),
            (e: unknown) => toast.error(e instanceof Error ? e.message : String(e), actionOf(e)),
          )
        },
      },
    }),
}

/** The follow-up an error offers in its toast (an `action` it was given), if any. */
function actionOf(e: unknown): Toast['action'] | undefined {
  const action = (e as { action?: Toast['action'] } | null)?.action
  return action && typeof action.run === 'function' ? action : undefined
}

/**
 * The core words its errors to follow a field's name ("must be an email address", "the
 * first line must name the columns"); alone in a toast, such a message starts a sentence.
 */
const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1)
