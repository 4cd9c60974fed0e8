import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { AppError } from '../../shared/errors'
import type { AppContext } from '../main/core/context'
import { dispatch } from '../main/core/dispatch'
import { serveEvents } from './events'

/**
 * The browser bridge: the same dispatch as the desktop app's IPC, as `POST /rpc`
 * `{ channel, input }`, plus the built renderer at `/`. A development and test door,
 * bound to loopback only.
 */
export const MAX_BODY_BYTES = 24 * 1024 * 1024

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string) {
  res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS })
  res.end(body)
}

function sendResult(res: ServerResponse, status: number, payload: unknown) {
  send(res, status, JSON.stringify(payload), 'application/json')
}

class TooLarge extends Error {}

/** Reads a body of at most MAX_BODY_BYTES; past that the rest is drained and dropped. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    let size = 0
    let tooLarge = declared > MAX_BODY_BYTES
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) tooLarge = true
      if (!tooLarge) chunks.push(chunk)
    })
    req.on('end', () =>
      tooLarge ? reject(new TooLarge()) : resolve(Buffer.concat(chunks).toString('utf8')),
    )
    req.on('error', reject)
  })
}

async function handleRpc(ctx: AppContext, req: IncomingMessage, res: ServerResponse) {
  let body: unknown
  try {
    body = JSON.parse(await readBody(req))
  } catch (e) {
    const tooLarge = e instanceof TooLarge
    const error = new AppError(
      'VALIDATION',
      tooLarge ? 'request body is too large' : 'request body is not valid JSON',
    )
    sendResult(res, tooLarge ? 413 : 400, { ok: false, error: error.toData() })
    return
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const error = new AppError('VALIDATION', 'body must be an object { channel, input }')
    sendResult(res, 400, { ok: false, error: error.toData() })
    return
  }
  const { channel, input } = body as { channel?: unknown; input?: unknown }
  sendResult(res, 200, await dispatch(ctx, channel, input))
}

async function serveStatic(root: string, url: string, res: ServerResponse) {
  const path = decodeURIComponent(new URL(url, 'http://localhost').pathname)
  const relative = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '')
  const file = join(root, relative)
  if (!file.startsWith(root + sep)) return send(res, 404, 'not found', 'text/plain')
  try {
    const body = await readFile(file)
    send(res, 200, body, TYPES[extname(file)] ?? 'application/octet-stream')
  } catch {
    // Client-side routes fall back to the app shell.
    try {
      send(res, 200, await readFile(join(root, 'index.html')), TYPES['.html'] as string)
    } catch {
      send(res, 404, 'the renderer is not built: run npm run build', 'text/plain')
    }
  }
}

export function createBridge(ctx: AppContext, rendererRoot: string): Server {
  return createServer((req, res) => {
    const url = req.url ?? '/'
    if (url === '/rpc') {
      if (req.method !== 'POST') return send(res, 405, 'use POST', 'text/plain')
      handleRpc(ctx, req, res).catch(() =>
        sendResult(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'bridge failure' } }),
      )
      return
    }
    if (url === '/events') {
      if (req.method !== 'GET') return send(res, 405, 'use GET', 'text/plain')
      return serveEvents(ctx.changes, req, res)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'not allowed', 'text/plain')
    void serveStatic(rendererRoot, url, res)
  })
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}
