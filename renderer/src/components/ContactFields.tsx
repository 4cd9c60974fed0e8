import type { UseFormRegisterReturn } from 'react-hook-form'
import { Field } from './Field'

type Contact = 'name' | 'email' | 'phone'

/** Name, email and phone: the contact details a client and a crew member both have. */
export function ContactFields(props: {
  register: (name: Contact) => UseFormRegisterReturn
  error: (name: Contact) => string | undefined
}) {
  return (
    <>
      <Field label="Name" error={props.error('name')}>
        <input {...props.register('name')} />
      </Field>
      <Field label="Email" error={props.error('email')}>
        <input type="email" {...props.register('email')} />
      </Field>
      <Field label="Phone" error={props.error('phone')}>
        <input type="tel" {...props.register('phone')} />
      </Field>
    </>
  )
}
