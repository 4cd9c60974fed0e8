/**
 * The PIN the demo data's office manager and admin share, so that demos and end-to-end
 * tests can switch to them. `npm run db:seed` prints it and the README shows it: it is
 * public, so never use demo data for a real business.
 */
export const DEMO_PIN = '2468'
