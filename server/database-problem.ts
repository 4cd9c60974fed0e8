/** How long opening a connection may take before the database counts as out of reach. */
export const CONNECT_TIMEOUT_MS = 10_000

/**
 * A database failure in words a person can act on: where the database is and what went
 * wrong (nothing answers, no such host, no such database, refused login, not set up),
 * instead of a driver's code. Anything else keeps its own message.
 */
export function databaseProblem(e: unknown): string {
  const err = e as {
    code?: string
    message?: string
    address?: string
    port?: number
    hostname?: string
  }
  const at = err.address ? ` at ${err.address}${err.port ? `:${err.port}` : ''}` : ''
  switch (err.code) {
    case 'ECONNREFUSED':
      return `cannot reach the database${at}: nothing answers there`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach the database: there is no host named ${err.hostname ?? 'so'}`
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach the database${at}: the network does not get there`
    case '3D000':
      return `the database does not exist (${err.message ?? ''})`
    case '28P01':
    case '28000':
      return `the database refused the login (${err.message ?? ''})`
    case '42P01':
      return 'this database is not set up for Groundskeeper: start npm run server on it once first'
    case '57P01':
      return 'the database ended the connection (it is restarting or was shut down)'
  }
  const message = err.message ?? String(e)
  if (
    /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(
      message,
    )
  )
    return 'cannot reach the database: it did not answer in time'
  if (/Connection terminated unexpectedly/i.test(message))
    return 'the database closed the connection at once: is that address a PostgreSQL server?'
  return message
}
