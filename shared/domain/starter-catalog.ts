import type { ServiceKind } from '../weather/risk'
import type { ServicePriority } from './enums'

/** One service of the starter catalog, in the shape `catalog.services.create` takes. */
export interface StarterService {
  name: string
  description: string
  priority: ServicePriority
  /** Decimal money as text, as the wire carries it. */
  basePrice: string
  durationMinutes: number
  /** Its weather limits come from its kind of work; null: general outdoor work. */
  weatherKind: ServiceKind | null
}

const s = (
  name: string,
  description: string,
  priority: ServicePriority,
  basePrice: string,
  durationMinutes: number,
  weatherKind: ServiceKind | null,
): StarterService => ({ name, description, priority, basePrice, durationMinutes, weatherKind })

/**
 * Common landscaping services with typical prices and lengths for a small business: a
 * start that a new business adjusts, not a price list. Used by the laptop's "Add a
 * starter catalog" and available to the server; adding it twice adds nothing twice
 * (names that exist are skipped: `starterServicesToAdd`).
 */
export const STARTER_SERVICES: readonly StarterService[] = [
  s('Lawn mowing', 'Mow, trim edges and blow off clippings', 'MEDIUM', '55.00', 45, 'mowing'),
  s(
    'Edging and trimming',
    'String-trim and edge beds, walks and drives',
    'LOW',
    '40.00',
    30,
    'mowing',
  ),
  s('Hedge trimming', 'Shape hedges and shrubs, haul the clippings', 'MEDIUM', '120.00', 120, null),
  s(
    'Leaf cleanup',
    'Blow, gather and haul leaves from lawn and beds',
    'MEDIUM',
    '150.00',
    120,
    null,
  ),
  s('Spring cleanup', 'Clear winter debris, cut back perennials', 'HIGH', '260.00', 180, null),
  s('Fertilizing', 'Seasonal granular fertilizer for the lawn', 'MEDIUM', '75.00', 30, 'spraying'),
  s(
    'Weed control spraying',
    'Pre- and post-emergent weed treatment',
    'MEDIUM',
    '70.00',
    30,
    'spraying',
  ),
  s('Planting', 'Plant shrubs, perennials or annuals', 'MEDIUM', '190.00', 120, 'planting'),
  s('Mulching', 'Refresh beds with hardwood mulch', 'MEDIUM', '220.00', 150, null),
  s(
    'Core aeration',
    'Core-aerate the lawn to relieve compaction',
    'MEDIUM',
    '130.00',
    60,
    'mowing',
  ),
  s('Irrigation check', 'Run every zone, adjust heads, look for leaks', 'HIGH', '95.00', 60, null),
  s('Tree pruning', 'Thin the crown and take out deadwood', 'HIGH', '350.00', 240, 'heavy'),
]

/** Folds a name for comparing: "Lawn Mowing " and "lawn mowing" are the same service. */
const fold = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en')

/**
 * The starter services a catalog does not have yet, by name (archived ones count as
 * had: adding the catalog again must not bring back what someone archived).
 */
export function starterServicesToAdd(existingNames: readonly string[]): StarterService[] {
  const have = new Set(existingNames.map(fold))
  return STARTER_SERVICES.filter((svc) => !have.has(fold(svc.name)))
}
