/** Role names as people read them. */
export const ROLE_LABEL: Record<string, string> = {
  admin: 'Admin',
  office_manager: 'Office manager',
  crew_lead: 'Crew lead',
}
