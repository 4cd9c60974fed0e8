/**
 * `tsx scripts/bench/weather.ts [--json]`: the weather and availability rules at scale,
 * as the core and the server run them (shared/):
 * - risk evaluation: 100,000 appointments over 500 places and 7 days of forecasts, each
 *   job's place found, its day's forecast met with its service's limits (goal ≤ 1 s);
 * - a reassignment plan for a crew member out for six weeks with 200 jobs, among 25
 *   crew members with about 200 jobs each (goal ≤ 200 ms).
 * Median of 5 runs each. Prints a summary, or one JSON object (the last line) with --json.
 */
import { type CrewMember, type PlannedJob, planReassignment } from '../../shared/domain/reassign'
import { addDays, dayStartMs, localDay, shiftDays } from '../../shared/domain/time'
import {
  type AssessContext,
  assessJobs,
  type HeldForecast,
  type JobForRisk,
} from '../../shared/weather/assess'
import { placeKey } from '../../shared/weather/place'
import { SERVICE_KINDS } from '../../shared/weather/risk'
import { parseFlags, runCommand } from '../lib/cli'
import { median, round } from './stats'

const USAGE = 'tsx scripts/bench/weather.ts -- [--json]'
const ZONE = 'America/Chicago'
const HOUR = 3_600_000

export interface WeatherBench {
  risk: { appointments: number; ms: number; runs: number[]; atRisk: number }
  reassign: {
    jobs: number
    crew: number
    ms: number
    runs: number[]
    moved: number
    unplaced: number
  }
}

/** A seeded pseudo-random sequence: the same figures run after run. */
function random(seed: number) {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return s / 2 ** 31
  }
}

function time(fn: () => unknown): number {
  const t = performance.now()
  fn()
  return performance.now() - t
}

function riskBench(): WeatherBench['risk'] {
  const rnd = random(7)
  const today = localDay(Date.now(), ZONE)
  const places = Array.from({ length: 500 }, () => ({
    latitude: 35 + rnd() * 10,
    longitude: -95 + rnd() * 10,
  }))
  const forecasts = new Map<string, HeldForecast>()
  for (const p of places)
    for (let d = 0; d < 7; d++) {
      const day = addDays(today, d)
      forecasts.set(`${placeKey(p)}|${day}`, {
        date: day,
        precipitationMm: round(rnd() * 12, 1),
        precipitationProbability: Math.round(rnd() * 100),
        windKmh: round(rnd() * 40, 1),
        gustKmh: round(rnd() * 70, 1),
        tempMinC: round(-3 + rnd() * 15, 1),
        tempMaxC: round(10 + rnd() * 28, 1),
        weatherCode: 3,
        fetchedAtMs: Date.now(),
      })
    }
  const services = SERVICE_KINDS.map((kind, i) => ({ id: `svc-${i}`, kind }))
  const start = dayStartMs(today, ZONE)
  const jobs: JobForRisk[] = Array.from({ length: 100_000 }, (_, i) => {
    const p = places[i % places.length] as (typeof places)[number]
    const s = services[i % services.length] as (typeof services)[number]
    return {
      id: `job-${i}`,
      startMs: start + Math.floor(rnd() * 7 * 24) * HOUR,
      location: null,
      client: { address: null, postalCode: null, latitude: p.latitude, longitude: p.longitude },
      serviceId: s.id,
      weatherKind: s.kind,
      weatherLimits: null,
    }
  })
  const ctx: AssessContext = { timeZone: ZONE, geocoded: new Map(), forecasts }
  let atRisk = 0
  const runs = Array.from({ length: 5 }, () =>
    time(() => {
      atRisk = assessJobs(jobs, ctx).filter(
        (r) => r.risk === 'high' || r.risk === 'moderate',
      ).length
    }),
  )
  return {
    appointments: jobs.length,
    ms: round(median(runs)),
    runs: runs.map((r) => round(r)),
    atRisk,
  }
}

function reassignBench(): WeatherBench['reassign'] {
  const rnd = random(11)
  const services = Array.from({ length: 12 }, (_, i) => `svc-${i}`)
  const crew: CrewMember[] = Array.from({ length: 25 }, (_, i) => ({
    id: `m-${String(i).padStart(2, '0')}`,
    name: `Crew ${i}`,
    specialties: new Set(services.filter(() => rnd() < 0.4)),
    timeOff: [],
  }))
  const absent = crew[0] as CrewMember
  for (const s of services.slice(0, 6)) (absent.specialties as Set<string>).add(s)
  const from = dayStartMs(addDays(localDay(Date.now(), ZONE), 7), ZONE)
  const to = from + 42 * 24 * HOUR
  const jobs: PlannedJob[] = []
  let n = 0
  for (const m of crew) {
    const own = [...m.specialties]
    if (!own.length) continue
    // About 200 jobs each over the six weeks: five a working day, an hour apart.
    for (let d = 0; d < 42; d++) {
      if (d % 7 >= 5 && m !== absent) continue
      const slots = m === absent ? 5 : 5
      for (let k = 0; k < slots; k++) {
        if (m === absent && n >= 200) break
        jobs.push({
          id: `${m.id}-${d}-${k}`,
          teamMemberId: m.id,
          startMs: from + d * 24 * HOUR + (7 + k * 2) * HOUR,
          durationMinutes: 60 + (k % 2) * 30,
          status: 'scheduled',
          serviceId: own[(d + k) % own.length] as string,
        })
        if (m === absent) n++
      }
    }
  }
  const input = {
    absentId: absent.id,
    fromMs: from,
    toMs: to,
    members: crew,
    jobs,
    dayStartMs: (ms: number) => dayStartMs(localDay(ms, ZONE), ZONE),
    shiftDays: (ms: number, days: number) => shiftDays(ms, days, ZONE),
  }
  let plan = planReassignment(input)
  const runs = Array.from({ length: 5 }, () => time(() => (plan = planReassignment(input))))
  return {
    jobs: n,
    crew: crew.length,
    ms: round(median(runs)),
    runs: runs.map((r) => round(r)),
    moved: plan.moves.length,
    unplaced: plan.unplaced.length,
  }
}

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), { json: { type: 'boolean' } })
  const result: WeatherBench = { risk: riskBench(), reassign: reassignBench() }
  if (flags.json) console.log(JSON.stringify(result))
  else
    console.log(`risk evaluation   ${result.risk.ms} ms for ${result.risk.appointments} appointments (${result.risk.atRisk} at risk; goal 1000 ms)
reassignment plan ${result.reassign.ms} ms for ${result.reassign.jobs} jobs among ${result.reassign.crew} crew (${result.reassign.moved} moved, ${result.reassign.unplaced} unplaced; goal 200 ms)`)
})
