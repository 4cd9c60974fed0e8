import { contract } from '../../../../shared/contract'
import type { BusinessSettings } from '../../../../shared/contract/settings'
import { type FieldErrors, fieldErrors, showFieldErrors } from '../../api/hooks'
import { write } from '../../api/queries'
import { useSession } from '../../stores/session'

/**
 * A business settings form's save: checked by the contract's own schema, written, and
 * the session's settings replaced with what was stored, so every screen reads them at
 * once. Field errors go back to the form; `saved` runs once it is stored.
 */
export async function saveSettings(
  input: unknown,
  form: { setErrors: (errors: FieldErrors) => void; saved: (stored: BusinessSettings) => void },
): Promise<void> {
  const parsed = contract['settings.update'].input.safeParse(input)
  if (!parsed.success) return form.setErrors(fieldErrors(parsed.error))
  try {
    const next = await write('settings.update', parsed.data)
    useSession.setState({ settings: next })
    form.setErrors({})
    form.saved(next)
  } catch (err) {
    showFieldErrors(err, form.setErrors)
  }
}
