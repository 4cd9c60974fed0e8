import Handlebars from 'handlebars'
import { amount, DEFAULT_UNITS, type Units } from '../weather/units'
import type { Channel } from './kinds'

/**
 * Message templates: a subject (email) and a body per kind, channel and locale, with
 * `{{variables}}` and `{{#if variable}}...{{/if}}` (Handlebars). The plain text and the
 * HTML of an email come from the same body: the HTML is the text, escaped, its blank
 * lines made paragraphs. A template is checked when it is saved — every name must be a
 * known variable, the syntax must parse, an SMS must fit — so a send never meets a
 * broken one.
 */
export const TEMPLATE_VARIABLES = {
  client_name: "the client's name",
  service: 'the service booked',
  date: 'the visit’s day, e.g. "Thu, Dec 10"',
  time: 'the visit’s start, e.g. "9:00 AM"',
  when: 'day and time, e.g. "Thu, Dec 10 at 9:00 AM"',
  previous_when: 'for a change of time: the time it had before',
  crew_member: 'who comes (empty when no one is assigned yet)',
  location: 'where the job is',
  business_name: "the business's name",
  business_phone: "the business's phone number",
  weather: 'for a weather notice: what is expected',
} as const
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES
export type TemplateValues = Record<TemplateVariable, string>

export interface TemplateText {
  subject: string
  body: string
}

/** An SMS longer than this is split by carriers into too many parts; Twilio's limit. */
export const MAX_SMS_LENGTH = 1600
export const MAX_SUBJECT_LENGTH = 200
export const MAX_BODY_LENGTH = 10_000

/** A preview's weather notice, its rain in the business's units. */
export const sampleWeather = (units: Units) =>
  `Heavy rain (${amount('rain', 12, units)}) is forecast that day.`

/** Values a preview shows, and a saved template is tried with. */
export const SAMPLE_VALUES: TemplateValues = {
  client_name: 'Jordan Smith',
  service: 'Lawn mowing',
  date: 'Thu, Dec 10',
  time: '9:00 AM',
  when: 'Thu, Dec 10 at 9:00 AM',
  previous_when: 'Wed, Dec 9 at 2:00 PM',
  crew_member: 'Ana Lopez',
  location: '12 Elm Street',
  business_name: 'Greenway Gardens',
  business_phone: '+1 555 0100',
  weather: sampleWeather(DEFAULT_UNITS),
}

export interface TemplateIssue {
  path: 'subject' | 'body'
  message: string
}

type Node = hbs.AST.Node & Record<string, unknown>

interface Found {
  names: string[]
  helpers: string[]
  /** Sentences for what is written wrongly though it parses. */
  misuse: string[]
}

/** Every name a template uses and every helper it calls, from its syntax tree. */
function namesIn(source: string): Found {
  const names: string[] = []
  const helpers: string[] = []
  const misuse: string[] = []
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    const n = node as Node
    if (n.type === 'BlockStatement') {
      const path = n.path as hbs.AST.PathExpression
      const params = (n.params as hbs.AST.Node[]) ?? []
      helpers.push(path.original)
      // {{#if}} with nothing to test, or with two things, fails only when it is used.
      if (
        BLOCKS.has(path.original) &&
        (params.length !== 1 || params[0]?.type !== 'PathExpression' || n.hash)
      )
        misuse.push(
          `{{#${path.original}}} needs one variable to test, as in {{#${path.original} crew_member}}`,
        )
      for (const p of params) visit(p)
      visit(n.program)
      visit(n.inverse)
      return
    }
    if (n.type === 'MustacheStatement' || n.type === 'SubExpression') {
      const params = (n.params as unknown[]) ?? []
      const path = n.path as hbs.AST.PathExpression
      if (params.length || n.hash) helpers.push(path.original)
      else names.push(path.original)
      // {{{name}}} and {{& name}} would put a value into the email's HTML unescaped.
      if (n.type === 'MustacheStatement' && n.escaped === false)
        misuse.push(`{{{${path.original}}}} is not allowed: write {{${path.original}}}`)
      for (const p of params) visit(p)
      return
    }
    if (n.type === 'PathExpression') {
      names.push((n as unknown as hbs.AST.PathExpression).original)
      return
    }
    if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') {
      helpers.push('>')
      return
    }
    for (const key of ['body', 'program', 'inverse']) {
      const child = n[key]
      if (Array.isArray(child)) for (const c of child) visit(c)
      else if (child) visit(child)
    }
  }
  visit(Handlebars.parse(source))
  return { names, helpers, misuse }
}

const BLOCKS = new Set(['if', 'unless'])

/**
 * Handlebars' parse error in words: where it is and what is missing. Its own message
 * names grammar tokens ("Expecting 'OPEN_ENDBLOCK', got 'EOF'").
 */
function syntaxFault(message: string): string {
  const line = /on line (\d+)/.exec(message)?.[1] ?? /- (\d+):\d+$/.exec(message)?.[1]
  const where = line ? ` (line ${line})` : ''
  const mismatch = /^(\w+) doesn't match (\w+)/.exec(message)
  if (mismatch) return `{{#${mismatch[1]}}} is closed by {{/${mismatch[2]}}}${where}`
  const got = /got '(\w+)'/.exec(message)?.[1]
  if (/OPEN_ENDBLOCK/.test(message) && got === 'EOF')
    return `a {{#if …}} or {{#unless …}} has no {{/if}} or {{/unless}} to close it${where}`
  if (got === 'INVALID' || got === 'EOF') return `a {{ has no }} to close it${where}`
  if (got === 'CLOSE') return `{{ }} holds no variable${where}`
  return `check the {{ and }} around what you changed${where}`
}

function checkSource(source: string, path: TemplateIssue['path']): TemplateIssue[] {
  let found: Found
  try {
    found = namesIn(source)
  } catch (e) {
    return [
      {
        path,
        message: `cannot be read: ${syntaxFault(e instanceof Error ? e.message : String(e))}`,
      },
    ]
  }
  const issues: TemplateIssue[] = []
  // What is not allowed first: {{#each client_name}} is about #each, not the name.
  for (const helper of new Set(found.helpers)) {
    if (!BLOCKS.has(helper))
      issues.push({
        path,
        message: `“${helper}” is not allowed: only {{#if name}}…{{/if}} and {{#unless name}}…{{/unless}}`,
      })
  }
  for (const name of new Set(found.names)) {
    if (!Object.hasOwn(TEMPLATE_VARIABLES, name))
      issues.push({
        path,
        message: `{{${name}}} is not a variable; use one of ${Object.keys(TEMPLATE_VARIABLES)
          .map((v) => `{{${v}}}`)
          .join(', ')}`,
      })
  }
  for (const message of new Set(found.misuse)) issues.push({ path, message })
  return issues
}

/** What is wrong with a template, in words; empty when it can be saved. */
export function checkTemplate(channel: Channel, t: TemplateText): TemplateIssue[] {
  const issues = [...checkSource(t.body, 'body')]
  if (!t.body.trim()) issues.push({ path: 'body', message: 'is required' })
  if (t.body.length > MAX_BODY_LENGTH)
    issues.push({ path: 'body', message: `must be at most ${MAX_BODY_LENGTH} characters` })
  if (channel === 'email') {
    issues.push(...checkSource(t.subject, 'subject'))
    if (!t.subject.trim()) issues.push({ path: 'subject', message: 'is required for an email' })
    if (t.subject.length > MAX_SUBJECT_LENGTH)
      issues.push({ path: 'subject', message: `must be at most ${MAX_SUBJECT_LENGTH} characters` })
  }
  if (issues.length) return issues
  // Whatever the checks above do not know of fails here, on save, rather than at a send.
  let rendered: RenderedMessage
  try {
    rendered = renderTemplate(channel, t, SAMPLE_VALUES)
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''
    return [{ path: 'body', message: `cannot be used: ${first}` }]
  }
  if (channel === 'sms') {
    const length = rendered.text.length
    if (length > MAX_SMS_LENGTH)
      issues.push({
        path: 'body',
        message: `makes an SMS of ${length} characters with the sample values; at most ${MAX_SMS_LENGTH}`,
      })
  }
  return issues
}

export interface RenderedMessage {
  subject: string
  text: string
  /** The HTML part of an email; null for SMS. */
  html: string | null
}

/** Values go in as they are: the text is plain, and the HTML escapes all of it after. */
const OPTIONS = {
  strict: false,
  knownHelpersOnly: true,
  knownHelpers: { if: true, unless: true },
  noEscape: true,
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)

/** Renders a checked template with the values of one message. */
export function renderTemplate(
  channel: Channel,
  t: TemplateText,
  values: TemplateValues,
): RenderedMessage {
  const plain = Handlebars.compile(t.body, OPTIONS)(values).trim()
  const subject =
    channel === 'email'
      ? Handlebars.compile(t.subject, OPTIONS)(values).replace(/\s+/g, ' ').trim()
      : ''
  if (channel === 'sms') return { subject, text: plain, html: null }
  // The body is plain text, its own words as much as the values: all of it is escaped,
  // so that neither a client's name nor a "<a href>" typed into a template makes markup.
  const paragraphs = escapeHtml(plain)
    .split(/\n\s*\n/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
    .join('\n')
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${paragraphs}\n</body></html>`
  return { subject, text: plain, html }
}
