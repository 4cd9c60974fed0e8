import { type PlanInput, planMessages } from '../shared/notifications/plan'
import { businessFacts, contactOf, loggedFor, type Queryable, readVisit, visitOf } from './sql'

/**
 * The send log's changes for one visit as it stands now (the shared planner over what
 * the database holds): new messages whole, pending ones that no longer make sense as
 * skipped with the reason. The caller writes them its own way (the server through its
 * sync merge, a laptop into its tables) and wakes its sender for those due.
 */
export interface VisitPlan {
  writes: { id: string; fields: Record<string, string | number | null> }[]
  due: { id: string; dueAtMs: number }[]
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

export async function planVisit(
  db: Queryable,
  appointmentId: string,
  isNew: boolean,
  nowMs: number,
  weather?: PlanInput['weather'],
): Promise<VisitPlan> {
  const v = await readVisit(db, appointmentId)
  if (!v) return { writes: [], due: [] }
  const business = await businessFacts(db)
  const p = planMessages({
    nowMs,
    isNew,
    visit: visitOf(v),
    client: contactOf(v),
    existing: await loggedFor(db, appointmentId),
    window: { hours: business.sendingHours, timeZone: business.timeZone },
    reminderLeadMinutes: business.reminderLeadMinutes,
    ...(weather ? { weather } : {}),
  })
  return {
    writes: [
      ...p.create.map((m) => ({
        id: m.id,
        fields: {
          kind: m.kind,
          channel: m.channel,
          client_id: m.clientId,
          appointment_id: m.appointmentId,
          recipient: m.recipient,
          visit_at: iso(m.visitAtMs),
          previous_visit_at: iso(m.previousVisitAtMs),
          due_at: iso(m.dueAtMs) as string,
          status: m.status,
          attempts: 0,
          detail: m.detail,
          ...(m.reason ? { reason: m.reason } : {}),
        },
      })),
      ...p.drop.map((d) => ({ id: d.id, fields: { status: 'skipped', reason: d.reason } })),
      ...p.move.map((m) => ({ id: m.id, fields: { due_at: iso(m.dueAtMs) as string } })),
      ...p.revive.map((r) => ({
        id: r.id,
        fields: { status: r.status, due_at: iso(r.dueAtMs) as string, reason: null, attempts: 0 },
      })),
    ],
    due: [...p.create.filter((m) => m.status !== 'skipped'), ...p.move, ...p.revive].map((m) => ({
      id: m.id,
      dueAtMs: m.dueAtMs,
    })),
  }
}
