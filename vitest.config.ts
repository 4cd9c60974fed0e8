import { configDefaults, defineConfig } from 'vitest/config'

const TESTS = '{shared,electron,scripts,server,drizzle,notify,weather,renderer}/**/*.test.ts'

/**
 * Test files that change what the process shares (a module mocked, the clock faked, the
 * time zone set): each runs in a process of its own. Whoever adds such a file adds it
 * here; the rest share their worker's process, so PGlite's WebAssembly is compiled and
 * the core's modules are loaded once per worker rather than once per file (the suite
 * takes about half the time).
 */
export const OWN_PROCESS = [
  'electron/main/wake-ups.test.ts',
  'electron/main/core/data/data.test.ts',
  'electron/main/core/sync/sync.test.ts',
  'server/push-faults.test.ts',
  'server/api/units.test.ts',
]

export default defineConfig({
  test: {
    globalSetup: ['./electron/main/core/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: [TESTS],
          exclude: [...configDefaults.exclude, ...OWN_PROCESS],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
  },
})
