/** Role names as people read them. */
export const ROLE_LABEL: Record<string, string> = {
  admin: 'Admin',
  office_manager: 'Office manager',
  crew_lead: 'Crew lead',
}

/** A user's role as the user lists read it: "Crew lead for Ana Ruiz" for a crew's lead. */
export function roleOf(u: { role: string; crewName?: string | null }): string {
  const role = ROLE_LABEL[u.role] ?? u.role
  return u.crewName ? `${role} for ${u.crewName}` : role
}

/** Service priorities as words: "High", not "HIGH" or "high". */
export const PRIORITY_LABEL: Record<string, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
}
export const priorityLabel = (p: string) => PRIORITY_LABEL[p] ?? p

/** Where a job's place would be when neither the job nor its client has an address. */
export const NO_ADDRESS = 'No address on file'
