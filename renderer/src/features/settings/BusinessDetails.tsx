import { type FormEvent, useState } from 'react'
import { contract } from '../../../../shared/contract'
import { isManager } from '../../../../shared/domain/permissions'
import { type FieldErrors, fieldErrors, showFieldErrors } from '../../api/hooks'
import { useChannel, write } from '../../api/queries'
import { Field } from '../../components/Field'
import { LoadError, Loading } from '../../components/States'
import { UnsavedDialog, useTypedChanges, useUnsavedChanges } from '../../components/UnsavedChanges'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'

/**
 * Settings → Business: the name and phone clients know the business by. Messages are
 * signed with them and day sheets carry them; office staff change them, crews read them.
 */
export function BusinessDetails() {
  const user = useSession((s) => s.user)
  const manager = isManager(user?.role ?? null)
  const { data, error, refetch } = useChannel('notifications.settings', {})
  const [errors, setErrors] = useState<FieldErrors>({})
  const typed = useTypedChanges(`${data?.businessName}|${data?.businessPhone}`)
  const unsaved = useUnsavedChanges(typed.changed, typed.dropped)

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const text = (key: string) => String(f.get(key) ?? '').trim() || null
    // The name signs every message: left blank, it is refused rather than cleared.
    const input = {
      businessName: String(f.get('businessName') ?? ''),
      businessPhone: text('businessPhone'),
    }
    const parsed = contract['notifications.updateSettings'].input.safeParse(input)
    if (!parsed.success) return setErrors(fieldErrors(parsed.error))
    try {
      await write('notifications.updateSettings', parsed.data)
      setErrors({})
      typed.saved()
      toast.success('Business details saved')
    } catch (err) {
      showFieldErrors(err, setErrors)
    }
  }

  return (
    <section className="card" aria-labelledby="business-details">
      <h2 id="business-details">Business</h2>
      {error ? (
        <LoadError error={error} retry={() => void refetch()} />
      ) : !data ? (
        <Loading />
      ) : (
        <form
          className="form-grid compact"
          aria-label="Business"
          onSubmit={save}
          ref={typed.ref}
          onChange={typed.onChange}
          key={typed.key}
        >
          <Field label="Business name" error={errors.businessName} hint="Signs every message">
            <input
              name="businessName"
              defaultValue={data.businessName ?? ''}
              autoComplete="organization"
              disabled={!manager}
            />
          </Field>
          <Field
            label="Business phone"
            error={errors.businessPhone}
            hint="For clients to call back"
          >
            <input
              name="businessPhone"
              type="tel"
              defaultValue={data.businessPhone ?? ''}
              disabled={!manager}
            />
          </Field>
          {manager && <button type="submit">Save business details</button>}
        </form>
      )}
      <UnsavedDialog guard={unsaved} what="the business's name and phone" />
    </section>
  )
}
