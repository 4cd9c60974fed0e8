import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/**
 * A real SMTP server on loopback (the `smtp-server` package) standing in for the mail
 * provider: it takes every message over the protocol and keeps it raw, with its
 * headers and parts readable, so a test checks what a mail system would receive.
 */
export interface ReceivedMail {
  from: string
  to: string[]
  raw: string
  headers: Map<string, string>
  text: string | null
  html: string | null
}

export interface SmtpStandIn {
  url: string
  received: ReceivedMail[]
  /** The reply to the next messages' DATA: a code and words ("451 try later"). */
  refuseNext(times: number, reply: { code: number; message: string }): void
  close(): Promise<void>
}

function unfold(block: string): Map<string, string> {
  const headers = new Map<string, string>()
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split(/\r\n/)) {
    const i = line.indexOf(':')
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
  }
  return headers
}

const decode = (body: string, encoding: string | undefined) => {
  if (encoding?.toLowerCase() === 'quoted-printable')
    return Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8')
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body, 'base64').toString('utf8')
  return body
}

/** The text and HTML parts of a message (one level of multipart/alternative). */
function parts(raw: string, headers: Map<string, string>) {
  const type = headers.get('content-type') ?? 'text/plain'
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4)
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  const found: { text: string | null; html: string | null } = { text: null, html: null }
  const take = (h: Map<string, string>, content: string) => {
    const t = h.get('content-type') ?? 'text/plain'
    const value = decode(content.replace(/\r\n$/, ''), h.get('content-transfer-encoding'))
    if (t.startsWith('text/plain')) found.text = value
    else if (t.startsWith('text/html')) found.html = value
  }
  if (!boundary) take(headers, body)
  else
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break
      const at = part.indexOf('\r\n\r\n')
      take(unfold(part.slice(0, at).trim()), part.slice(at + 4))
    }
  return found
}

/**
 * `host`: the address to listen on (loopback unless said); `acceptLogin`: take any user
 * and password, over the plain connection it offers (it never offers STARTTLS).
 */
export async function startSmtpStandIn(
  opts: { host?: string; acceptLogin?: boolean } = {},
): Promise<SmtpStandIn> {
  const host = opts.host ?? '127.0.0.1'
  const received: ReceivedMail[] = []
  let refusals: { left: number; reply: { code: number; message: string } } = {
    left: 0,
    reply: { code: 451, message: '' },
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    ...(opts.acceptLogin
      ? {
          allowInsecureAuth: true,
          onAuth: (
            auth: { username?: string },
            _session: unknown,
            done: (e: Error | null, r?: { user: string }) => void,
          ) => done(null, { user: auth.username ?? '' }),
        }
      : {}),
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (refusals.left > 0) {
          refusals.left -= 1
          const err = new Error(refusals.reply.message) as Error & { responseCode: number }
          err.responseCode = refusals.reply.code
          done(err)
          return
        }
        const raw = Buffer.concat(chunks).toString('utf8')
        const headers = unfold(raw.slice(0, raw.indexOf('\r\n\r\n')))
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers,
          ...parts(raw, headers),
        })
        done()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://${host}:${port}`,
    received,
    refuseNext(times, reply) {
      refusals = { left: times, reply }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
