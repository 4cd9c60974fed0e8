/** Role names as people read them. */
export const ROLE_LABEL: Record<string, string> = {
  admin: 'Admin',
  office_manager: 'Office manager',
  crew_lead: 'Crew lead',
}

/** Service priorities as words: "High", not "HIGH" or "high". */
export const PRIORITY_LABEL: Record<string, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
}
export const priorityLabel = (p: string) => PRIORITY_LABEL[p] ?? p
