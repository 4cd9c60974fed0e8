export * from './sync'
export * from './tables'
