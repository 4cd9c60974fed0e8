/** Domain events: the CloudEvents envelope, the versioned types' data, and the rule deriving them. */
export * from './derive'
export * from './envelope'
export * from './types'
