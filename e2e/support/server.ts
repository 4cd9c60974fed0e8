import type { APIRequestContext } from '@playwright/test'
import { startTestServer, type TestServer } from '../../testing/sync-harness'
import { api, type Business, DEMO_PIN } from './api'

/**
 * The bridge's laptop joined to a real sync server started for one spec, as its admin
 * would connect it, with a token for "the other laptop"; the office manager is left
 * signed in. `leaveServer` puts the laptop back as the other specs expect it.
 */
export async function joinNewServer(
  request: APIRequestContext,
  biz: Business,
  labels: { laptop: string; other: string },
): Promise<{ server: TestServer; otherToken: string }> {
  const server = await startTestServer()
  const token = await server.token('admin', { label: labels.laptop })
  const otherToken = await server.token('office_manager', { label: labels.other })
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'sync.configure', { serverUrl: server.url, token })
  await api(request, 'sync.now', {})
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  return { server, otherToken }
}

/** Unconnected, with `tidy` done as the admin, the office manager signed in again. */
export async function leaveServer(
  request: APIRequestContext,
  biz: Business,
  server: TestServer | undefined,
  tidy: () => Promise<unknown> = async () => {},
): Promise<void> {
  await api(request, 'session.switch', { userId: biz.adminId, pin: DEMO_PIN })
  await api(request, 'sync.disconnect', {})
  await tidy()
  await api(request, 'session.switch', { userId: biz.managerId, pin: DEMO_PIN })
  await server?.close()
}
