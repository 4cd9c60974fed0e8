/**
 * Where a job is done: its own location (a postcode or an address) when it has one,
 * otherwise the client's address. Calendar exports, the screens and the Part 2 services
 * (weather, notices) all ask this one question, so they all answer it here.
 */
export interface ClientPlace {
  address: string | null
  postalCode: string | null
}

/**
 * The job's location, else the client's address with its postal code (left out when the
 * address already ends with it); null when neither is known.
 */
export function jobLocation(
  job: { location: string | null },
  client: ClientPlace | null,
): string | null {
  const own = job.location?.trim()
  if (own) return own
  const address = client?.address?.trim() ?? ''
  const postalCode = client?.postalCode?.trim() ?? ''
  if (!postalCode || normal(address).endsWith(normal(postalCode))) return address || null
  return address ? `${address}, ${postalCode}` : postalCode
}

const normal = (s: string) => s.replace(/\s+/g, '').toUpperCase()
