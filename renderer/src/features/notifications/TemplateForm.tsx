import { type FormEvent, useLayoutEffect, useRef, useState } from 'react'
import type { Template } from '../../../../shared/contract/notifications'
import { BUILT_IN_TEMPLATES } from '../../../../shared/notifications/built-in-templates'
import { smsParts } from '../../../../shared/notifications/sms-parts'
import { TEMPLATE_VARIABLES } from '../../../../shared/notifications/templates'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { Field } from '../../components/Field'
import { toast } from '../../stores/toasts'
import { kindLabel, LOCALE_LABELS, partsText } from './labels'
import type { TemplatePick } from './TemplateEditor'
import { useDebounced } from './useDebounced'

type Part = 'subject' | 'body'

type Issues = Partial<Record<Part, string>>

/** The first issue of each field, from a preview's or a refused save's list. */
function byField(list: readonly { path: string; message: string }[]): Issues {
  const out: Issues = {}
  for (const i of list) {
    const part = i.path.split('.')[0] as Part
    if ((part === 'subject' || part === 'body') && !out[part]) out[part] = i.message
  }
  return out
}

/** One template's words, its live preview and its save. */
export function TemplateForm(props: {
  pick: TemplatePick
  current: Template | null
  start: { subject: string; body: string }
  mayEdit: boolean
  /** Told whether there are unsaved changes, as they come and go. */
  onChanged?: (changed: boolean) => void
}) {
  const { pick, current } = props
  const email = pick.channel === 'email'
  const [subject, setSubject] = useState(props.start.subject)
  const [body, setBody] = useState(props.start.body)
  const [refused, setRefused] = useState<Issues>({})
  const [problem, setProblem] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const focused = useRef<{ part: Part; el: HTMLInputElement | HTMLTextAreaElement } | null>(null)

  const text = { subject: email ? subject : '', body }
  const asked = useDebounced(
    { kind: pick.kind, channel: pick.channel, locale: pick.locale, ...text },
    300,
  )
  const preview = useChannel('notifications.preview', asked, { keepPrevious: true })
  const issues: Issues = {
    ...(preview.error ? byField(preview.error.error.issues ?? []) : {}),
    ...byField(preview.data?.issues ?? []),
    ...refused,
  }
  const changed = subject !== props.start.subject || body !== props.start.body
  const { onChanged } = props
  // Told with the keystroke's render, before the next key (Escape, a pick) is handled.
  useLayoutEffect(() => onChanged?.(changed), [changed, onChanged])
  const language = LOCALE_LABELS[pick.locale] ?? pick.locale

  const edit = (part: Part, value: string) => {
    if (part === 'subject') setSubject(value)
    else setBody(value)
    // A refusal's message goes once its field is edited.
    setRefused((r) => {
      const { [part]: _, ...rest } = r
      return rest
    })
  }
  /** Puts `{{name}}` where the cursor was in the field last used (the message by default). */
  function insert(name: string) {
    const tag = `{{${name}}}`
    const target = focused.current ?? null
    const part: Part = target?.part ?? 'body'
    const current = part === 'subject' ? subject : body
    const el = target?.el
    const from = el?.selectionStart ?? current.length
    const to = el?.selectionEnd ?? current.length
    edit(part, current.slice(0, from) + tag + current.slice(to))
    requestAnimationFrame(() => {
      el?.focus()
      el?.setSelectionRange(from + tag.length, from + tag.length)
    })
  }

  async function save(e: FormEvent) {
    e.preventDefault()
    setProblem(null)
    setSaving(true)
    try {
      await write('notifications.saveTemplate', { ...pick, ...text })
      toast.success(`${kindLabel(pick.kind)} (${email ? 'email' : 'SMS'}, ${language}) saved`)
    } catch (err) {
      const placed = byField(err instanceof ApiError ? (err.error.issues ?? []) : [])
      const message = err instanceof ApiError ? err.message : String(err)
      if (Object.keys(placed).length) setRefused(placed)
      else setProblem(message)
      toast.error(
        Object.keys(placed).length
          ? 'The template was not saved: see the messages under the fields'
          : message,
      )
    } finally {
      setSaving(false)
    }
  }

  const status =
    !current || current.builtIn
      ? `The built-in ${language} template: no one has changed it.`
      : `Saved template, version ${current.version}.`
  const track = (part: Part) => ({
    onFocus: (ev: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
      focused.current = { part, el: ev.currentTarget }
    },
  })
  return (
    <div className="template-layout">
      <form className="template-form" aria-label="Template" noValidate onSubmit={save}>
        <p className="muted small" role="status">
          {status}
          {changed && <strong className="unsaved"> Unsaved changes.</strong>}
        </p>
        {email && (
          <Field label="Subject" error={issues.subject}>
            <input
              value={subject}
              onChange={(ev) => edit('subject', ev.target.value)}
              spellCheck
              {...track('subject')}
            />
          </Field>
        )}
        <Field label="Message" error={issues.body}>
          <textarea
            rows={email ? 11 : 5}
            value={body}
            onChange={(ev) => edit('body', ev.target.value)}
            spellCheck
            {...track('body')}
          />
        </Field>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <div className="form-actions">
          <button
            type="button"
            onClick={() => {
              const builtIn = BUILT_IN_TEMPLATES[pick.locale][pick.kind][pick.channel]
              edit('subject', builtIn.subject)
              edit('body', builtIn.body)
            }}
          >
            Use the built-in text
          </button>
          {props.mayEdit ? (
            <button type="submit" className="primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save template'}
            </button>
          ) : (
            <span className="muted small">Only an admin can save templates.</span>
          )}
        </div>
        <details className="variables" open>
          <summary>Variables: click one to put it where the cursor is</summary>
          <ul>
            {Object.entries(TEMPLATE_VARIABLES).map(([name, description]) => (
              <li key={name}>
                <button type="button" className="variable" onClick={() => insert(name)}>
                  {`{{${name}}}`}
                </button>{' '}
                <span className="muted small">{description}</span>
              </li>
            ))}
          </ul>
          <p className="muted small">
            {'{{#if crew_member}}with {{crew_member}}{{/if}}'} writes its words only when the
            variable has a value.
          </p>
        </details>
      </form>
      <section className="template-preview" aria-label="Preview" aria-busy={preview.isFetching}>
        <h3>Preview</h3>
        <p className="muted small">With sample values (Jordan Smith, Lawn mowing, …).</p>
        {preview.data && preview.data.issues.length === 0 && !preview.error ? (
          <>
            {email && <p className="message-subject">{preview.data.subject}</p>}
            <pre className="message-text">{preview.data.text}</pre>
            {!email && <p className="muted small">{partsText(smsParts(preview.data.text))}</p>}
          </>
        ) : preview.data || preview.error?.error.code === 'VALIDATION' ? (
          <p className="muted">The preview shows once the template has no problem left.</p>
        ) : (
          preview.error && (
            <p className="error-text">The preview could not be made: {preview.error.message}</p>
          )
        )}
      </section>
    </div>
  )
}
