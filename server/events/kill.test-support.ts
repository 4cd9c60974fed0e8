import type { DeliveryPolicy } from './delivery'

/** What the kill test and its worker process share. */
export const KILL_TEST_SUBSCRIBER = 'killable'

/**
 * A job a dead worker held is failed (then retried) once it has been active longer than
 * `expireInSeconds` and maintenance has run: short here, so the test takes seconds.
 */
export const KILL_TEST_DELIVERY: Partial<DeliveryPolicy> = {
  expireInSeconds: 2,
  pollingIntervalSeconds: 0.5,
  retryDelaySeconds: 0,
  retryBackoff: false,
}
