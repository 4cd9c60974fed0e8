import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, join } from 'node:path'
import { AppError } from '../../shared/errors'
import type { AppContext } from '../main/core/context'
import { dispatch } from '../main/core/dispatch'
import { contentType, rendererFile } from '../main/core/renderer-files'
import { serveEvents } from './events'
import {
  crossSite,
  hasToken,
  hostAllowed,
  isJson,
  newBridgeToken,
  originAllowed,
  tokenCookie,
  withToken,
} from './guard'

/**
 * The browser bridge: the same dispatch as the desktop app's IPC, as `POST /rpc`
 * `{ channel, input }`, plus the built renderer at `/`. A development and test door,
 * bound to loopback only, and guarded against other pages in the browser (guard.ts).
 */
export const MAX_BODY_BYTES = 24 * 1024 * 1024

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
const UTF8 = new TextDecoder('utf-8', { fatal: true })
class NotUtf8 extends Error {}

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
    req.on('end', () => {
      if (tooLarge) return reject(new TooLarge())
      // Bytes that are not UTF-8 are refused, never turned into replacement characters.
      try {
        resolve(UTF8.decode(Buffer.concat(chunks)))
      } catch {
        reject(new NotUtf8())
      }
    })
    req.on('error', reject)
  })
}

const refuse = (
  res: ServerResponse,
  status: number,
  code: 'VALIDATION' | 'FORBIDDEN',
  message: string,
) => sendResult(res, status, { ok: false, error: new AppError(code, message).toData() })

async function handleRpc(ctx: AppContext, req: IncomingMessage, res: ServerResponse) {
  // Also what keeps a plain HTML form (which cannot send JSON) away from the API.
  if (!isJson(req.headers['content-type'])) {
    req.resume()
    return refuse(res, 415, 'VALIDATION', 'send the request body as application/json')
  }
  let body: unknown
  try {
    body = JSON.parse(await readBody(req))
  } catch (e) {
    const tooLarge = e instanceof TooLarge
    const error = new AppError(
      'VALIDATION',
      tooLarge
        ? 'request body is too large'
        : e instanceof NotUtf8
          ? 'request body is not UTF-8 text'
          : 'request body is not valid JSON',
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

/** The page the bridge serves: the app shell carries the secret, and is never cached. */
function sendPage(res: ServerResponse, html: Buffer, token: string, port: number) {
  res.writeHead(200, {
    'content-type': contentType('index.html'),
    'cache-control': 'no-store',
    'set-cookie': `${tokenCookie(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`,
    ...SECURITY_HEADERS,
  })
  res.end(withToken(html.toString('utf8'), token))
}

async function serveStatic(
  root: string,
  path: string,
  res: ServerResponse,
  page: (html: Buffer) => void,
) {
  const file = rendererFile(root, path)
  if (!file) return send(res, 404, 'not found', 'text/plain')
  try {
    const body = await readFile(file)
    if (extname(file) === '.html') return page(body)
    send(res, 200, body, contentType(file))
  } catch {
    // Client-side routes fall back to the app shell.
    try {
      page(await readFile(join(root, 'index.html')))
    } catch {
      send(res, 404, 'the renderer is not built: run npm run build', 'text/plain')
    }
  }
}

/** The request's path, decoded, or null when it is not a well-formed URL path. */
function pathOf(url: string | undefined): string | null {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://bridge.invalid').pathname)
  } catch {
    return null
  }
}

/**
 * The bridge for one run. `token` is the secret the API asks for (see guard.ts): the
 * page it serves carries it, and whoever starts the bridge prints it for scripts.
 */
export function createBridge(
  ctx: AppContext,
  rendererRoot: string,
  token: string = newBridgeToken(),
): Server {
  const failed = (res: ServerResponse) => () => {
    if (!res.headersSent)
      sendResult(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'bridge failure' } })
    else res.end()
  }
  return createServer((req, res) => {
    const port = req.socket.localPort ?? 0
    if (!hostAllowed(req.headers.host, port))
      return send(res, 403, 'this address is not served here: use 127.0.0.1', 'text/plain')
    if (!originAllowed(req.headers.origin, port))
      return send(res, 403, 'requests from other sites are refused', 'text/plain')
    const path = pathOf(req.url)
    if (path === null) return send(res, 400, 'malformed URL', 'text/plain')

    if (path === '/rpc' || path === '/events') {
      // /events also takes the cookie: EventSource cannot send the Authorization header.
      const cookie = path === '/events' ? { name: tokenCookie(port) } : undefined
      if (crossSite(req.headers) || !hasToken(req.headers, token, cookie ? { cookie } : {})) {
        req.resume()
        res.setHeader('www-authenticate', 'Bearer')
        return refuse(res, 401, 'FORBIDDEN', 'the bridge token is missing or wrong')
      }
    }
    if (path === '/rpc') {
      if (req.method !== 'POST') return send(res, 405, 'use POST', 'text/plain')
      handleRpc(ctx, req, res).catch(failed(res))
      return
    }
    if (path === '/events') {
      if (req.method !== 'GET') return send(res, 405, 'use GET', 'text/plain')
      return serveEvents(ctx.changes, req, res)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'not allowed', 'text/plain')
    serveStatic(rendererRoot, path, res, (html) => sendPage(res, html, token, port)).catch(
      failed(res),
    )
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
