import { contract } from '../../../../shared/contract'
import type { Client } from '../../../../shared/contract/clients'
import { DEFAULT_LOCALE } from '../../../../shared/notifications/kinds'
import { fieldError, useContractForm } from '../../api/forms'
import { write } from '../../api/queries'
import { ContactFields } from '../../components/ContactFields'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { toast } from '../../stores/toasts'
import { MessageHistory } from '../notifications/MessageHistory'
import { MessagePreferences } from './MessagePreferences'

/** A coordinate typed by hand: empty is none; anything else must read as a number. */
const coordinate = (v: unknown) => {
  if (v === null || v === undefined) return null
  const text = String(v).trim()
  return text === '' ? null : Number(text.replace(',', '.'))
}

/** Adds or edits a client: contact, address, notes, and how they want to hear from us. */
export function ClientDialog(props: { client: Partial<Client>; onClose: () => void }) {
  const c = props.client
  const form = useContractForm({
    schema: c.id ? contract['clients.update'].input : contract['clients.create'].input,
    defaultValues: {
      ...(c.id ? { id: c.id } : {}),
      name: c.name ?? '',
      email: c.email ?? '',
      phone: c.phone ?? '',
      address: c.address ?? '',
      postalCode: c.postalCode ?? '',
      latitude: c.latitude ?? null,
      longitude: c.longitude ?? null,
      notes: c.notes ?? '',
      notifyEmail: c.notifyEmail ?? true,
      notifySms: c.notifySms ?? false,
      notifyOff: c.notifyOff ?? [],
      locale: c.locale ?? DEFAULT_LOCALE,
    },
  })
  return (
    <RecordDialog
      record={c}
      noun="client"
      form={form}
      wide
      onClose={props.onClose}
      onSave={async (input) => {
        if (c.id) await write('clients.update', input as never)
        else await write('clients.create', input as never)
        toast.success(`${form.getValues('name')} saved`)
        props.onClose()
      }}
      aside={c.id ? <MessageHistory clientId={c.id} /> : undefined}
    >
      <ContactFields register={(n) => form.register(n)} error={(n) => fieldError(form, n)} />
      <Field label="Address" error={fieldError(form, 'address')}>
        <input {...form.register('address')} />
      </Field>
      <Field label="Postal code" error={fieldError(form, 'postalCode')}>
        <input {...form.register('postalCode')} />
      </Field>
      <Field
        label="Latitude"
        error={fieldError(form, 'latitude')}
        hint="For the forecast; leave both empty to find the place from the address"
      >
        <input inputMode="decimal" {...form.register('latitude', { setValueAs: coordinate })} />
      </Field>
      <Field label="Longitude" error={fieldError(form, 'longitude')}>
        <input inputMode="decimal" {...form.register('longitude', { setValueAs: coordinate })} />
      </Field>
      <Field label="Notes" error={fieldError(form, 'notes')}>
        <textarea rows={2} {...form.register('notes')} />
      </Field>
      <MessagePreferences register={form.register} watch={form.watch} />
    </RecordDialog>
  )
}
