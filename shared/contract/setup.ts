import { z } from 'zod'

/** The first-run checklist's steps, in the order they are shown. */
export const SETUP_STEPS = [
  'businessName',
  'timeZone',
  'workingHours',
  'services',
  'crew',
  'client',
  'booking',
] as const
export type SetupStep = (typeof SETUP_STEPS)[number]

export const setupState = z.object({
  /**
   * The checklist is shown: this laptop was set up from empty (its first user made here)
   * and nobody dismissed the list. It stays shown when every step is done, to say so.
   */
  open: z.boolean(),
  /** Each step, done or not, read from the business's data (so it survives restarts). */
  done: z.object(
    Object.fromEntries(SETUP_STEPS.map((s) => [s, z.boolean()])) as {
      [K in SetupStep]: z.ZodBoolean
    },
  ),
})
export type SetupState = z.infer<typeof setupState>

export const setupContract = {
  'setup.get': { input: z.strictObject({}), output: setupState },
  /** Hides the checklist on this laptop for good. */
  'setup.dismiss': { input: z.strictObject({}), output: setupState },
} as const
