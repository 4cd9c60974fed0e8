import { randomBytes } from 'node:crypto'
import { encode } from '../../shared/sync/hlc'

/**
 * The clock of writes the REST API makes on the server's own behalf. A write the API
 * makes travels to the laptops like any other (a sync mutation), so it needs a hybrid
 * logical clock value: wall time, never going backwards within this process, with a
 * node id of its own so that two server instances writing in the same millisecond
 * still order their writes (ties break on the node, as on the laptops).
 */
export interface ServerClock {
  node: string
  now: () => string
}

export function serverClock(node = `srv${randomBytes(5).toString('hex')}`): ServerClock {
  let lastMs = 0
  let counter = 0
  return {
    node,
    now: () => {
      const wall = Date.now()
      if (wall > lastMs) {
        lastMs = wall
        counter = 0
      } else {
        counter += 1
        // The counter has five digits; past them, borrow the next millisecond.
        if (counter > 99_999) {
          lastMs += 1
          counter = 0
        }
      }
      return encode({ ms: lastMs, counter, node })
    },
  }
}
