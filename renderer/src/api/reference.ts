import type { Service } from '../../../shared/contract/catalog'
import type { BusinessSettings } from '../../../shared/contract/settings'
import type { TeamMember } from '../../../shared/contract/team'
import { useSession } from '../stores/session'
import { channelKey, queryClient, useChannel } from './queries'

/**
 * The reference lists and settings most screens need (filters, colours, dropdowns), as
 * queries like any other: a pull that changes a crew member's colour or a service
 * refreshes every screen showing them.
 */
const TEAM_INPUT = { limit: 100, includeArchived: false } as const
const SERVICES_INPUT = { limit: 100, includeArchived: true } as const
const NO_TEAM: TeamMember[] = []
const NO_SERVICES: Service[] = []

/** The crew (not archived), for columns, colours and pickers. */
export function useTeam(): TeamMember[] {
  return useChannel('team.list', TEAM_INPUT).data?.results ?? NO_TEAM
}

/** Every service, archived ones included (old jobs still name them). */
export function useServices(): Service[] {
  return useChannel('catalog.services.list', SERVICES_INPUT).data?.results ?? NO_SERVICES
}

/** The business settings: as read at start-up until the query has its own answer. */
export function useSettings(): BusinessSettings {
  const started = useSession((s) => s.settings)
  return useChannel('settings.get', {}).data ?? started
}

/** The settings outside React (formatting a message in an event handler). */
export function currentSettings(): BusinessSettings {
  return queryClient.getQueryData(channelKey('settings.get', {})) ?? useSession.getState().settings
}
