/** What the notification kill test and its worker process share. */
export const KILL_ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`
export const KILL_TOKEN = 'standin-auth-token'
export const KILL_FROM = 'Greenway Gardens <office@greenway.example>'
