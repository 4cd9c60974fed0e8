import { contract } from '../../../../shared/contract'
import type { ReassignmentPlan } from '../../../../shared/contract/weather'
import { fieldError, useContractForm } from '../../api/forms'
import { channelKey, queryClient, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { toLocalInput } from '../../app/format'
import { navigate } from '../../app/router'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { toast } from '../../stores/toasts'

interface Values {
  teamMemberId: string
  startsOn: string
  endsOn: string
  open: boolean
  reason: string
}

/** The review screen's address for a member's jobs in a range of days. */
export const reassignHref = (p: {
  teamMemberId: string
  from: string
  to: string
  /** Time off until further notice: the review says which of its days it plans. */
  openEnded?: boolean
}) => ({
  reassign: p.teamMemberId,
  from: p.from,
  to: p.to,
  ...(p.openEnded ? { open: '1' } : {}),
})

/** Opens the review with a plan already in hand (the one adding the time off returned). */
export function reviewPlan(plan: ReassignmentPlan, openEnded: boolean) {
  const key = { teamMemberId: plan.teamMemberId, from: plan.from, to: plan.to }
  queryClient.setQueryData(channelKey('team.reassignmentPlan', key), plan)
  navigate('/team', reassignHref({ ...key, openEnded }))
}

/**
 * Marks a crew member out for whole days (to a last day, or until further notice),
 * then goes straight to the review of who takes their jobs meanwhile.
 */
export function TimeOffDialog(props: {
  member: { id: string; name: string }
  onClose: () => void
}) {
  const tz = useSettings().timeZone
  const today = toLocalInput(new Date().toISOString(), tz).slice(0, 10)
  const form = useContractForm({
    schema: contract['team.timeOff.add'].input,
    defaultValues: {
      teamMemberId: props.member.id,
      startsOn: today,
      endsOn: today,
      open: false,
      reason: '',
    } as Values,
    toInput: ({ open, ...v }: Values) => ({
      ...v,
      endsOn: open || !v.endsOn ? null : v.endsOn,
      reason: v.reason.trim(),
    }),
    absent: { startsOn: 'Choose the first day off' },
  })
  const open = form.watch('open')
  return (
    <RecordDialog
      record={{}}
      noun={`time off for ${props.member.name}`}
      form={form}
      onClose={props.onClose}
      onSave={async (input) => {
        const { plan } = await write('team.timeOff.add', input)
        toast.success(`Time off added for ${props.member.name}`)
        props.onClose()
        reviewPlan(plan, input.endsOn === null)
      }}
    >
      <Field label="First day off" error={fieldError(form, 'startsOn')}>
        <input type="date" {...form.register('startsOn')} />
      </Field>
      <Field label="Last day off" error={fieldError(form, 'endsOn')}>
        <input type="date" disabled={open} {...form.register('endsOn')} />
      </Field>
      <label className="check">
        <input type="checkbox" {...form.register('open')} />
        Until further notice
      </label>
      <Field
        label="Reason"
        error={fieldError(form, 'reason')}
        hint="Optional: holiday, sick, training"
      >
        <input {...form.register('reason')} />
      </Field>
    </RecordDialog>
  )
}
