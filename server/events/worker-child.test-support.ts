/**
 * A server's event worker as a process of its own, for the kill test (kill.test.ts):
 * `tsx worker-child.test-support.ts <database url> <mode>`. It runs the event stream
 * with one subscriber, `killable`, whose handler records the event in `test_actions`
 * with the subscriber's transaction, and then stops dead, printing a line for the test
 * to SIGKILL it on:
 * - `in-handler`: `acting <event id>` while the handler's transaction is still open;
 * - `after-commit`: `committed <event id>` after the subscriber's transaction committed,
 *   before pg-boss marked the job done.
 * It prints `ready` once its workers run.
 */
import { createPool } from '../db'
import { KILL_TEST_DELIVERY, KILL_TEST_SUBSCRIBER } from './kill.test-support'
import { startEventStream } from './stream'
import { Subscribers } from './subscribers'

const [url, mode] = process.argv.slice(2)
if (!url || (mode !== 'in-handler' && mode !== 'after-commit')) {
  console.error('usage: worker-child.test-support.ts <database url> in-handler|after-commit')
  process.exit(2)
}
const forever = () => new Promise<never>(() => {})
const pool = createPool(url, 4)
const subscribers = new Subscribers().subscribe(
  KILL_TEST_SUBSCRIBER,
  ['scheduling.appointment.created.v1'],
  async (event, tx) => {
    await tx.query('INSERT INTO test_actions VALUES ($1, $2, $3)', [
      KILL_TEST_SUBSCRIBER,
      event.id,
      'child',
    ])
    if (mode === 'in-handler') {
      console.log(`acting ${event.id}`)
      await forever()
    }
  },
)
await startEventStream({
  pool,
  databaseUrl: url,
  subscribers,
  relayIntervalMs: 100,
  delivery: KILL_TEST_DELIVERY,
  onDelivered: async (_name, event) => {
    if (mode === 'after-commit') {
      console.log(`committed ${event.id}`)
      await forever()
    }
  },
  onError: (e, where) => console.error(where, e),
})
console.log('ready')
