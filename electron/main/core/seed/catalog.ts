import type { ServiceKind } from '../../../../shared/weather/risk'

/** The demo business: a mid-sized landscaping company's catalog and crew. */
export interface ServiceSeed {
  name: string
  description: string
  priority: 'LOW' | 'MEDIUM' | 'HIGH'
  price: number
  minutes: number
  /** Relative demand; months (1-12) in which it is offered. */
  weight: number
  months: number[]
}

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
const GROWING = [3, 4, 5, 6, 7, 8, 9, 10, 11]
const SUMMER = [4, 5, 6, 7, 8, 9, 10]
const SPRING = [3, 4, 5]
const FALL = [9, 10, 11]
const WINTER = [11, 12, 1, 2, 3]

const s = (
  name: string,
  description: string,
  priority: ServiceSeed['priority'],
  price: number,
  minutes: number,
  weight: number,
  months: number[],
): ServiceSeed => ({ name, description, priority, price, minutes, weight, months })

export const SERVICES: ServiceSeed[] = [
  s('Lawn mowing', 'Mow, trim edges and blow clippings', 'MEDIUM', 55, 45, 30, SUMMER),
  s(
    'Lawn mowing (large lot)',
    'Ride-on mowing for lots over half an acre',
    'MEDIUM',
    95,
    75,
    10,
    SUMMER,
  ),
  s('Edging and trimming', 'String-trim and edge beds, walks and drives', 'LOW', 40, 30, 8, SUMMER),
  s('Hedge trimming', 'Shape hedges and shrubs, haul clippings', 'MEDIUM', 120, 120, 6, GROWING),
  s('Shrub pruning', 'Selective pruning of ornamental shrubs', 'MEDIUM', 110, 90, 4, GROWING),
  s('Tree pruning', 'Crown thinning and deadwood removal up to 30 ft', 'HIGH', 350, 240, 2, ALL),
  s('Tree removal', 'Fell and haul a small to medium tree', 'HIGH', 900, 360, 0.6, ALL),
  s('Stump grinding', 'Grind stump below grade and backfill', 'MEDIUM', 180, 90, 0.8, ALL),
  s('Mulching', 'Refresh beds with hardwood mulch', 'MEDIUM', 220, 150, 5, SPRING.concat(FALL)),
  s('Spring cleanup', 'Remove winter debris, cut back perennials', 'HIGH', 260, 180, 5, SPRING),
  s('Fall cleanup', 'Leaf and debris removal, bed cutback', 'HIGH', 280, 180, 6, FALL),
  s('Leaf removal', 'Blow, vacuum and haul leaves', 'MEDIUM', 150, 120, 6, FALL),
  s('Core aeration', 'Core-aerate lawn to relieve compaction', 'MEDIUM', 130, 60, 3, [4, 5, 9, 10]),
  s('Overseeding', 'Seed thin turf after aeration', 'MEDIUM', 160, 60, 2, [4, 5, 9, 10]),
  s('Dethatching', 'Power-rake thatch from the lawn', 'LOW', 140, 90, 1.5, [4, 5, 9]),
  s('Fertilization', 'Seasonal granular fertilizer application', 'MEDIUM', 75, 30, 6, GROWING),
  s('Weed control', 'Pre- and post-emergent weed treatment', 'MEDIUM', 70, 30, 5, GROWING),
  s('Grub control', 'Preventive grub treatment', 'LOW', 85, 30, 1.5, [5, 6, 7]),
  s('Lime application', 'Soil pH correction', 'LOW', 65, 30, 1, [3, 4, 10, 11]),
  s('Sod installation', 'Prepare soil and lay new sod', 'HIGH', 1200, 480, 0.6, GROWING),
  s('Garden bed installation', 'Design and plant a new bed', 'HIGH', 850, 360, 0.8, GROWING),
  s(
    'Annual flower planting',
    'Seasonal color in beds and containers',
    'LOW',
    190,
    120,
    1.5,
    [4, 5, 9],
  ),
  s('Perennial division', 'Divide and replant overgrown perennials', 'LOW', 120, 90, 0.7, [4, 9]),
  s('Irrigation startup', 'Charge system, check heads and zones', 'HIGH', 95, 60, 2.5, [3, 4, 5]),
  s('Irrigation winterization', 'Blow out lines before frost', 'HIGH', 90, 45, 2.5, [10, 11]),
  s('Irrigation repair', 'Fix heads, valves and leaks', 'HIGH', 140, 90, 2, SUMMER),
  s('Drip line installation', 'Drip irrigation for beds', 'MEDIUM', 420, 240, 0.6, GROWING),
  s(
    'Drainage correction',
    'French drain or regrading for standing water',
    'HIGH',
    1500,
    480,
    0.4,
    GROWING,
  ),
  s('Paver patio repair', 'Relevel and re-sand pavers', 'MEDIUM', 380, 240, 0.6, GROWING),
  s('Retaining wall repair', 'Reset block and rebuild small walls', 'HIGH', 950, 420, 0.4, GROWING),
  s(
    'Landscape lighting service',
    'Replace lamps, adjust fixtures and timers',
    'LOW',
    160,
    90,
    0.8,
    ALL,
  ),
  s('Gutter cleaning', 'Clear gutters and downspouts', 'MEDIUM', 150, 90, 2, [4, 10, 11, 12]),
  s('Pressure washing', 'Walks, drives and patios', 'LOW', 210, 120, 1.2, SUMMER),
  s('Snow plowing', 'Plow drive and parking areas', 'HIGH', 85, 45, 6, WINTER),
  s('Sidewalk shoveling', 'Clear walks and steps, apply de-icer', 'HIGH', 45, 30, 5, WINTER),
  s('De-icing treatment', 'Salt or brine application', 'HIGH', 60, 30, 3, WINTER),
  s(
    'Holiday lighting install',
    'Install seasonal lights on trees and eaves',
    'LOW',
    450,
    240,
    1,
    [11, 12],
  ),
  s(
    'Holiday lighting removal',
    'Take down and store seasonal lights',
    'LOW',
    250,
    150,
    0.8,
    [1, 2],
  ),
  s('Property inspection', 'Seasonal walk-through with a written report', 'LOW', 0, 30, 1.5, ALL),
  s('Soil testing', 'Sample soil and report nutrient levels', 'LOW', 45, 30, 0.8, [3, 4, 9, 10]),
]

export const PRODUCTS = [
  ['Hardwood mulch', 'cu yd', 42],
  ['Dyed black mulch', 'cu yd', 48],
  ['Pine straw', 'bale', 9.5],
  ['Topsoil', 'cu yd', 38],
  ['Compost', 'cu yd', 45],
  ['Kentucky bluegrass sod', 'sq ft', 0.65],
  ['Tall fescue seed', 'lb', 4.25],
  ['Slow-release fertilizer', 'bag', 36],
  ['Pelletized lime', 'bag', 8.75],
  ['Rock salt', 'bag', 12.5],
  ['Landscape fabric', 'roll', 29],
  ['Steel edging', 'ft', 3.4],
  ['River rock', 'ton', 95],
  ['Flat of annuals', 'flat', 24],
  ['Perennial, 1 gal', 'each', 14.5],
  ['Sprinkler head', 'each', 11.75],
] as const

export const FIRST_NAMES = [
  'Alex',
  'Maria',
  'James',
  'Priya',
  'Daniel',
  'Sofia',
  'Marcus',
  'Lena',
  'Carlos',
  'Grace',
  'Tyrone',
  'Hannah',
  'Diego',
  'Aisha',
  'Owen',
  'Mei',
  'Luis',
  'Nora',
  'Samuel',
  'Fatima',
  'Ethan',
  'Rosa',
  'Victor',
  'Ivy',
  'Jamal',
  'Chloe',
  'Andre',
  'Yuki',
  'Patrick',
  'Elena',
]

export const LAST_NAMES = [
  'Garcia',
  'Nguyen',
  'Smith',
  'Patel',
  'Johnson',
  'Kowalski',
  'Brown',
  'Okafor',
  'Miller',
  'Rossi',
  'Davis',
  'Haddad',
  'Wilson',
  'Kim',
  'Martinez',
  'Schmidt',
  'Anderson',
  'Silva',
  'Thomas',
  "O'Brien",
  'Moore',
  'Jensen',
  'Taylor',
  'Chen',
  'Lopez',
  'Dubois',
  'Clark',
  'Ivanova',
]

export const STREETS = [
  'Maple',
  'Oak',
  'Cedar',
  'Elm',
  'Willow',
  'Birch',
  'Prairie',
  'Lakeview',
  'Hillcrest',
  'Sunset',
  'Meadow',
  'River',
  'Park',
  'Walnut',
  'Aspen',
  'Orchard',
  'Ridge',
  'Spring',
]

export const STREET_KINDS = ['St', 'Ave', 'Dr', 'Ln', 'Ct', 'Rd', 'Way', 'Pl']

export const CREW_COLORS = [
  '#2e7d32',
  '#1565c0',
  '#6a1b9a',
  '#c62828',
  '#ef6c00',
  '#00838f',
  '#4e342e',
  '#ad1457',
  '#283593',
  '#558b2f',
  '#00695c',
  '#f9a825',
  '#5d4037',
  '#0277bd',
  '#7b1fa2',
  '#d84315',
  '#37474f',
  '#9e9d24',
  '#00897b',
  '#8e24aa',
  '#3949ab',
  '#e65100',
  '#43a047',
  '#1e88e5',
  '#6d4c41',
]

export const JOB_NOTES = [
  'Gate code 4412',
  'Dog in back yard: keep gate closed',
  'Client asked to skip the side strip',
  'Park on the street, not the drive',
  'Bag clippings, no mulching',
  'Check the sprinkler by the mailbox',
  'Invoice to property manager',
  'Call on arrival',
  'Avoid the new seed near the fence',
  'Haul debris to the back lot',
]

/**
 * The kind of work of the demo services, for their weather limits (shared/weather/risk.ts);
 * a service not named here is general outdoor work.
 */
export const WEATHER_KINDS: Readonly<Record<string, ServiceKind>> = {
  'Lawn mowing': 'mowing',
  'Lawn mowing (large lot)': 'mowing',
  'Edging and trimming': 'mowing',
  'Core aeration': 'mowing',
  Dethatching: 'mowing',
  Fertilization: 'spraying',
  'Weed control': 'spraying',
  'Grub control': 'spraying',
  'Lime application': 'spraying',
  Overseeding: 'planting',
  'Sod installation': 'planting',
  'Garden bed installation': 'planting',
  'Annual flower planting': 'planting',
  'Perennial division': 'planting',
  'Tree removal': 'heavy',
  'Stump grinding': 'heavy',
  'Drainage correction': 'heavy',
}

/**
 * What a crew brings for a job of these services (product, quantity): the demo's jobs
 * carry these lines, so day sheets list materials as a real business's would.
 */
export const JOB_PRODUCTS: readonly (readonly [
  service: string,
  product: string,
  quantity: number,
])[] = [
  ['Mulching', 'Hardwood mulch', 3],
  ['Mulching', 'Landscape fabric', 1],
  ['Overseeding', 'Tall fescue seed', 10],
  ['Fertilization', 'Slow-release fertilizer', 2],
  ['Lime application', 'Pelletized lime', 4],
  ['Sod installation', 'Kentucky bluegrass sod', 600],
  ['Sod installation', 'Topsoil', 2],
  ['Annual flower planting', 'Flat of annuals', 4],
  ['Annual flower planting', 'Compost', 0.5],
  ['Irrigation repair', 'Sprinkler head', 3],
  ['De-icing treatment', 'Rock salt', 6],
]
