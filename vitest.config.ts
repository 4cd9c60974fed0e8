import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{shared,electron,scripts,server,drizzle,notify,weather,renderer}/**/*.test.ts'],
    globalSetup: ['./electron/main/core/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
