import { z } from 'zod'

export const systemContract = {
  /** Whether the local database is open, where it lives and what it holds. */
  'system.status': {
    input: z.strictObject({}),
    output: z.object({
      version: z.string(),
      database: z.object({
        open: z.boolean(),
        location: z.string(),
        durability: z.enum(['fsync', 'os']),
        migrations: z.array(z.string()),
        counts: z.object({
          clients: z.number().int(),
          services: z.number().int(),
          teamMembers: z.number().int(),
          appointments: z.number().int(),
        }),
      }),
    }),
  },
} as const
