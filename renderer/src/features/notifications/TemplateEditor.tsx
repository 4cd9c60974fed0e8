import { useState } from 'react'
import type { Template } from '../../../../shared/contract/notifications'
import { may } from '../../../../shared/domain/permissions'
import {
  CHANNELS,
  type Channel,
  DEFAULT_LOCALE,
  LOCALES,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from '../../../../shared/notifications/kinds'
import { useChannel } from '../../api/queries'
import { Field } from '../../components/Field'
import { LoadError, Loading } from '../../components/States'
import { UnsavedDialog, useUnsavedChanges } from '../../components/UnsavedChanges'
import { useSession } from '../../stores/session'
import { channelLabel, kindLabel, LOCALE_LABELS } from './labels'
import { TemplateForm } from './TemplateForm'

export interface TemplatePick {
  kind: NotificationKind
  channel: Channel
  locale: (typeof LOCALES)[number]
}

/**
 * Settings → Notifications → templates: pick a message (kind, channel, language), edit
 * its words with the variables listed, see it written as a client would get it while
 * typing, and save it (admins). Office managers may try wording; only an admin saves.
 */
export function TemplateEditor() {
  const user = useSession((s) => s.user)
  const mayEdit = !!user && may(user.role, 'templates.write')
  const { data, error, refetch } = useChannel('notifications.templates', {})
  const [pick, setPick] = useState<TemplatePick>({
    kind: 'confirmation',
    channel: 'email',
    locale: DEFAULT_LOCALE,
  })
  const find = (locale: string): Template | undefined =>
    data?.templates.find(
      (t) => t.kind === pick.kind && t.channel === pick.channel && t.locale === locale,
    )
  // Another message picked with changes unsaved: asked first, never silently dropped.
  const [changed, setChanged] = useState(false)
  const unsaved = useUnsavedChanges(changed, () => setChanged(false))
  const choose = (next: TemplatePick) => unsaved.confirm(() => setPick(next))
  // Every language has its template: the admins' own, or the built-in one.
  const current = find(pick.locale)
  return (
    <section className="card template-editor" aria-labelledby="templates">
      <h2 id="templates">Message templates</h2>
      <fieldset className="template-pick">
        <legend className="visually-hidden">Which message</legend>
        <Field label="Kind">
          <select
            value={pick.kind}
            onChange={(e) => choose({ ...pick, kind: e.target.value as NotificationKind })}
          >
            {NOTIFICATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Channel">
          <select
            value={pick.channel}
            onChange={(e) => choose({ ...pick, channel: e.target.value as Channel })}
          >
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Language">
          <select
            value={pick.locale}
            onChange={(e) => choose({ ...pick, locale: e.target.value as TemplatePick['locale'] })}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_LABELS[l] ?? l}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {!data && !error && <Loading />}
      {current && (
        <TemplateForm
          // A fresh form per message and per saved version.
          key={`${pick.kind}|${pick.channel}|${pick.locale}|${current.version}`}
          pick={pick}
          current={current}
          start={current}
          mayEdit={mayEdit}
          onChanged={setChanged}
        />
      )}
      <UnsavedDialog
        guard={unsaved}
        what={`the ${kindLabel(pick.kind).toLowerCase()} (${channelLabel(pick.channel)}) template`}
      />
    </section>
  )
}
