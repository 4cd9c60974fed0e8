import { create } from 'zustand'
import type { AppointmentStatus } from '../../../shared/domain/enums'

/** What the calendar shows: UI state only; the events come from `calendar.range`. */
export type CalendarView = 'timeGridDay' | 'timeGridWeek' | 'dayGridMonth' | 'listWeek'

interface CalendarState {
  view: CalendarView
  colorBy: 'member' | 'status'
  teamMemberIds: string[]
  statuses: AppointmentStatus[]
  serviceId: string
  set: (patch: Partial<Omit<CalendarState, 'set'>>) => void
}

export const useCalendarUi = create<CalendarState>((set) => ({
  view: 'timeGridWeek',
  colorBy: 'member',
  teamMemberIds: [],
  statuses: [],
  serviceId: '',
  set: (patch) => set(patch),
}))

export const STATUS_COLORS: Record<AppointmentStatus, string> = {
  scheduled: '#1565c0',
  in_progress: '#ef6c00',
  completed: '#2e7d32',
  cancelled: '#757575',
}
