import { ChevronDown } from 'lucide-react'
import { useEffect, useRef } from 'react'
import type { AppointmentStatus } from '../../../../shared/domain/enums'
import { statusLabel } from '../../components/States'
import { StatusChecks } from '../../components/StatusChecks'

/**
 * The status filter folded into one button, so the calendar's header stays one row and
 * the calendar gets the height. A native <details>: its summary is a button to the
 * keyboard and screen readers, and the checkboxes keep their names. What it lacks, closing
 * on a click outside or on Escape, is added here.
 */
export function StatusMenu(props: {
  value: AppointmentStatus[]
  onChange: (next: AppointmentStatus[]) => void
}) {
  const ref = useRef<HTMLDetailsElement>(null)
  useEffect(() => {
    const close = (e: Event) => {
      const menu = ref.current
      if (menu?.open && !menu.contains(e.target as Node)) menu.open = false
    }
    document.addEventListener('pointerdown', close)
    return () => document.removeEventListener('pointerdown', close)
  }, [])
  const shown =
    props.value.length === 0
      ? 'All'
      : props.value.length === 1
        ? statusLabel(props.value[0] as AppointmentStatus)
        : `${props.value.length} chosen`
  return (
    <details
      ref={ref}
      className="status-menu"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !ref.current?.open) return
        ref.current.open = false
        ref.current.querySelector('summary')?.focus()
      }}
    >
      <summary>
        <span className="status-menu-label">Status</span> {shown}
        <ChevronDown aria-hidden="true" size={14} />
      </summary>
      <div className="status-menu-panel">
        <StatusChecks value={props.value} onChange={props.onChange} />
      </div>
    </details>
  )
}
