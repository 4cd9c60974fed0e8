import { BUSINESS_SETTINGS_ID } from '../contract/settings'
import { CHANNELS, type Channel, NOTIFICATION_KINDS } from '../notifications/kinds'
import { checkTemplate } from '../notifications/templates'
import { templateId } from '../notifications/values'

const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v)

/**
 * What a whole row must be, whoever wrote it, checked by the server on the row as it
 * stands after each write (the laptop's screens write only such rows):
 * - the business's settings are one row, with the id every laptop reads;
 * - a template's id is made from its kind, channel and locale (two laptops editing one
 *   template edit one row), and its words must make a message: a broken one is refused
 *   where it is saved, never met when a message is sent.
 * Null when the row may stand.
 */
export function rowRefusal(
  table: string,
  rowId: string,
  row: Readonly<Record<string, unknown>>,
): string | null {
  if (table === 'business_settings')
    return rowId === BUSINESS_SETTINGS_ID
      ? null
      : "the business's settings are one row: write them under its id"
  if (table === 'notification_templates') {
    const { kind, channel, locale } = row
    // A value off these lists is refused by the field checks before this.
    if (!oneOf(NOTIFICATION_KINDS, kind) || !oneOf<Channel>(CHANNELS, channel)) return null
    if (typeof locale !== 'string' || rowId !== templateId(kind, channel, locale))
      return "a template's id must be the one made from its kind, channel and locale"
    const text = (v: unknown) => (typeof v === 'string' ? v : '')
    const [issue] = checkTemplate(channel, { subject: text(row.subject), body: text(row.body) })
    return issue ? `the template cannot be used: its ${issue.path} ${issue.message}` : null
  }
  return null
}
