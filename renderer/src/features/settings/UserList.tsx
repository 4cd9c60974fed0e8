import { useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { ListedUser } from '../../../../shared/contract/session'
import { USER_ROLES, type UserRole } from '../../../../shared/domain/enums'
import { needsPin } from '../../../../shared/domain/pin'
import { ApiError } from '../../api/client'
import { fieldError, useContractForm } from '../../api/forms'
import { useChannel, write } from '../../api/queries'
import { useTeam } from '../../api/reference'
import { ROLE_LABEL } from '../../app/labels'
import { Field } from '../../components/Field'
import { NamedOptions } from '../../components/NamedOptions'
import { RecordDialog } from '../../components/RecordDialog'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { PinInput } from '../setup/PinForm'

/**
 * The people who use this laptop, for an admin: each one's role, crew and whether they
 * have a PIN; rename, change the role or crew, or remove (undoable). What may not be done
 * (a name taken, the last admin demoted, oneself removed) is refused by the core, which
 * says why.
 */
export function UserList() {
  const users = useChannel('session.users', {}).data?.users ?? []
  const me = useSession((s) => s.user?.id)
  const [editing, setEditing] = useState<ListedUser | null>(null)

  async function remove(u: ListedUser) {
    try {
      await write('session.removeUser', { id: u.id })
      toast.undoable(`${u.name} removed from this laptop`, () =>
        write('session.restoreUser', { id: u.id }),
      )
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }

  return (
    <>
      <table className="grid compact-grid" aria-label="People who use this laptop">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>PIN</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                {u.name}
                {u.id === me && <span className="muted small"> (you)</span>}
              </td>
              <td>
                {ROLE_LABEL[u.role] ?? u.role}
                {u.crewName && <span className="muted small"> for {u.crewName}</span>}
              </td>
              <td>{u.hasPin ? 'Yes' : 'None'}</td>
              <td>
                <button type="button" aria-label={`Edit ${u.name}`} onClick={() => setEditing(u)}>
                  Edit
                </button>{' '}
                {u.id !== me && (
                  <button
                    type="button"
                    aria-label={`Remove ${u.name}`}
                    onClick={() => void remove(u)}
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <UserDialog user={editing} onClose={() => setEditing(null)} />}
    </>
  )
}

function UserDialog(props: { user: ListedUser; onClose: () => void }) {
  const u = props.user
  const team = useTeam()
  const form = useContractForm({
    schema: contract['session.updateUser'].input,
    defaultValues: {
      id: u.id,
      name: u.name,
      role: u.role as UserRole,
      teamMemberId: u.teamMemberId ?? '',
      pin: '',
    },
    // An empty PIN keeps the one they have; a crew is only a crew lead's.
    toInput: (v) => ({
      id: v.id,
      name: v.name,
      role: v.role,
      teamMemberId: v.role === 'crew_lead' ? v.teamMemberId || null : null,
      ...(v.pin ? { pin: v.pin } : {}),
    }),
  })
  const role = form.watch('role')
  const asksPin = needsPin(role) && !u.hasPin
  return (
    <RecordDialog
      record={u}
      noun="user"
      form={form}
      onClose={props.onClose}
      onSave={async (input) => {
        const { user } = await write('session.updateUser', input)
        toast.success(`${user.name} saved`)
        // Their own role or name may have changed: the session says what they may do now.
        if (user.id === useSession.getState().user?.id) void useSession.getState().load()
        props.onClose()
      }}
    >
      <Field label="Name" error={fieldError(form, 'name')}>
        <input {...form.register('name')} />
      </Field>
      <Field label="Role" error={fieldError(form, 'role')}>
        <select {...form.register('role')}>
          <RoleOptions />
        </select>
      </Field>
      {role === 'crew_lead' && (
        <Field label="Leads crew" error={fieldError(form, 'teamMemberId')}>
          <select {...form.register('teamMemberId')}>
            <option value="">—</option>
            <NamedOptions items={team} />
          </select>
        </Field>
      )}
      <Field
        label={asksPin ? 'Their PIN' : 'New PIN (optional)'}
        error={fieldError(form, 'pin')}
        hint={
          asksPin
            ? `An ${ROLE_LABEL[role]?.toLowerCase()} needs a PIN: 4 to 12 digits`
            : 'Leave empty to keep their PIN'
        }
      >
        <PinInput {...form.register('pin')} />
      </Field>
    </RecordDialog>
  )
}

/** The roles a user may have, as words. */
export function RoleOptions() {
  return USER_ROLES.map((r) => (
    <option key={r} value={r}>
      {ROLE_LABEL[r]}
    </option>
  ))
}
