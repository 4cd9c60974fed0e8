/**
 * The name of the `<meta>` tag in which the loopback bridge hands its per-launch secret
 * to the page it serves (electron/bridge/guard.ts); the renderer's HTTP transport sends
 * it back as `Authorization: Bearer TOKEN`.
 */
export const BRIDGE_TOKEN_META = 'groundskeeper-bridge-token'
