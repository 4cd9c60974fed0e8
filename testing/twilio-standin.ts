import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local HTTP server shaped like Twilio's Messages API (2010-04-01): it checks the
 * account in the path and HTTP Basic auth, takes the form-encoded message, answers with
 * Twilio's JSON, and lists what it accepted. A test scripts its next answers to sending:
 * a success, an error status (with Retry-After), no answer at all (a timeout), or the
 * message taken and then no answer (the answer lost on its way); and, apart, its next
 * answers to listing.
 */
export interface TwilioMessage {
  sid: string
  to: string
  from: string | null
  messagingServiceSid: string | null
  body: string
  dateCreated: string
}

export type ScriptedAnswer =
  | { status: number; retryAfter?: string; code?: number; message?: string }
  /** No answer, and nothing taken. */
  | { hang: true }
  /** Taken (listed from then on, as Twilio would), then no answer. */
  | { acceptThenHang: true }

export interface TwilioStandIn {
  url: string
  accountSid: string
  authToken: string
  messages: TwilioMessage[]
  /** Every request, as received: method, path, auth header, form fields. */
  requests: { method: string; path: string; auth: string | null; form: Record<string, string> }[]
  answerNext(...answers: ScriptedAnswer[]): void
  /** The next answers to a listing (GET): a failure, or no answer; else it lists. */
  answerNextList(...answers: ScriptedAnswer[]): void
  close(): Promise<void>
}

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`
const TOKEN = 'standin-auth-token'

/** `prefix`: served below this path (as behind a proxy), e.g. "/twilio"; else at the root. */
export async function startTwilioStandIn(prefix = ''): Promise<TwilioStandIn> {
  const messages: TwilioMessage[] = []
  const requests: TwilioStandIn['requests'] = []
  const script: ScriptedAnswer[] = []
  const listScript: ScriptedAnswer[] = []
  let n = 0
  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
  /** A scripted failure answered (true), or nothing to do with this answer (false). */
  const failed = (res: ServerResponse, next: ScriptedAnswer | undefined) => {
    if (!next || !('status' in next) || next.status < 300) return false
    json(
      res,
      next.status,
      {
        code: next.code ?? 20500,
        message: next.message ?? 'scripted failure',
        status: next.status,
      },
      next.retryAfter ? { 'retry-after': next.retryAfter } : {},
    )
    return true
  }
  const view = (m: TwilioMessage) => ({
    sid: m.sid,
    account_sid: ACCOUNT,
    to: m.to,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    body: m.body,
    status: 'queued',
    date_created: m.dateCreated,
    date_sent: null,
    direction: 'outbound-api',
    uri: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${m.sid}.json`,
  })
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://standin')
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        auth: req.headers.authorization ?? null,
        form,
      })
      const expected = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`
      if (req.headers.authorization !== expected)
        return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 })
      const base = `${prefix}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`
      if (url.pathname !== base)
        return json(res, 404, { code: 20404, message: 'Not found', status: 404 })
      if (req.method === 'GET') {
        const next = listScript.shift()
        if (next && 'hang' in next) return
        if (failed(res, next)) return
        const to = url.searchParams.get('To')
        const list = messages.filter((m) => !to || m.to === to).reverse()
        return json(res, 200, {
          messages: list.map(view),
          next_page_uri: null,
          page: 0,
          page_size: 50,
        })
      }
      if (req.method !== 'POST')
        return json(res, 405, { code: 20004, message: 'Method not allowed', status: 405 })
      const next = script.shift()
      if (next && 'hang' in next) return // no answer: the client's timeout decides
      if (failed(res, next)) return
      if (!form.To || !form.Body || (!form.From && !form.MessagingServiceSid))
        return json(res, 400, {
          code: 21604,
          message: "A 'To' phone number is required.",
          status: 400,
        })
      n += 1
      const m: TwilioMessage = {
        sid: `SM${n.toString(16).padStart(32, '0')}`,
        to: form.To,
        from: form.From ?? null,
        messagingServiceSid: form.MessagingServiceSid ?? null,
        body: form.Body,
        dateCreated: new Date().toUTCString(),
      }
      messages.push(m)
      // Taken; the answer never comes: the client's timeout decides.
      if (next && 'acceptThenHang' in next) return
      return json(res, 201, view(m))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    accountSid: ACCOUNT,
    authToken: TOKEN,
    messages,
    requests,
    answerNext: (...answers) => script.push(...answers),
    answerNextList: (...answers) => listScript.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
