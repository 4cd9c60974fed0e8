import type { Channel, Locale, NotificationKind } from './kinds'
import type { TemplateText } from './templates'

type Set = Record<NotificationKind, Record<Channel, TemplateText>>

/**
 * Every email ends with the business's name and phone; every SMS with its name, after a
 * plain hyphen: an SMS written only in the GSM alphabet holds 160 characters, one with a
 * character outside it (a dash, curly quotes) only 70.
 */
const SIGN_OFF = '{{business_name}}{{#if business_phone}} · {{business_phone}}{{/if}}'
const SMS_SIGN_OFF = '{{#if business_name}} - {{business_name}}{{/if}}'

const email = (subject: string, body: string): TemplateText => ({
  subject,
  body: `${body}\n\n${SIGN_OFF}`,
})
const sms = (body: string): TemplateText => ({ subject: '', body: `${body}${SMS_SIGN_OFF}` })

/**
 * The templates messages are written with until an admin saves their own, in each
 * language a client may choose. Dates and times come in the template's language. The
 * weather notices in other languages than English do not quote the forecast's words
 * (`{{weather}}`), which are written in English.
 */
export const BUILT_IN_TEMPLATES: Record<Locale, Set> = {
  en: {
    confirmation: {
      email: email(
        'Your {{service}} visit is booked for {{when}}',
        'Hello {{client_name}},\n\nThank you for booking with us. Your {{service}} visit is on {{when}}{{#if crew_member}} with {{crew_member}}{{/if}}.{{#if location}}\nWhere: {{location}}{{/if}}\n\nIf you need to change it, just reply or call us.',
      ),
      sms: sms(
        'Your {{service}} visit is booked for {{when}}. Reply{{#if business_phone}} or call {{business_phone}}{{/if}} to change it.',
      ),
    },
    reminder: {
      email: email(
        'Reminder: {{service}} on {{when}}',
        'Hello {{client_name}},\n\nThis is a reminder of your {{service}} visit on {{when}}{{#if crew_member}} with {{crew_member}}{{/if}}.{{#if location}}\nWhere: {{location}}{{/if}}\n\nSee you then.',
      ),
      sms: sms('Reminder: your {{service}} visit is on {{when}}.'),
    },
    rescheduled: {
      email: email(
        'Your {{service}} visit has moved to {{when}}',
        'Hello {{client_name}},\n\nYour {{service}} visit{{#if previous_when}}, planned for {{previous_when}},{{/if}} is now on {{when}}{{#if crew_member}} with {{crew_member}}{{/if}}.\n\nIf the new time does not suit you, reply or call us.',
      ),
      sms: sms('Your {{service}} visit has moved to {{when}}.'),
    },
    cancelled: {
      email: email(
        'Your {{service}} visit on {{when}} is cancelled',
        'Hello {{client_name}},\n\nYour {{service}} visit on {{when}} is cancelled. To book another time, reply or call us.',
      ),
      sms: sms('Your {{service}} visit on {{when}} is cancelled.'),
    },
    weather: {
      email: email(
        'Weather and your {{service}} visit on {{when}}',
        'Hello {{client_name}},\n\n{{weather}} We will let you know if your {{service}} visit on {{when}} has to move.',
      ),
      sms: sms('{{weather}} We will tell you if your visit on {{when}} has to move.'),
    },
  },
  es: {
    confirmation: {
      email: email(
        'Su visita de {{service}} está reservada para el {{when}}',
        'Hola, {{client_name}}:\n\nGracias por su reserva. Su visita de {{service}} será el {{when}}{{#if crew_member}} con {{crew_member}}{{/if}}.{{#if location}}\nLugar: {{location}}{{/if}}\n\nSi necesita cambiarla, responda a este mensaje o llámenos.',
      ),
      sms: sms(
        'Su visita de {{service}} está reservada para el {{when}}. Responda{{#if business_phone}} o llame al {{business_phone}}{{/if}} para cambiarla.',
      ),
    },
    reminder: {
      email: email(
        'Recordatorio: {{service}} el {{when}}',
        'Hola, {{client_name}}:\n\nLe recordamos su visita de {{service}} el {{when}}{{#if crew_member}} con {{crew_member}}{{/if}}.{{#if location}}\nLugar: {{location}}{{/if}}\n\nHasta pronto.',
      ),
      sms: sms('Recordatorio: su visita de {{service}} es el {{when}}.'),
    },
    rescheduled: {
      email: email(
        'Su visita de {{service}} pasa al {{when}}',
        'Hola, {{client_name}}:\n\nSu visita de {{service}}{{#if previous_when}}, prevista para el {{previous_when}},{{/if}} será ahora el {{when}}{{#if crew_member}} con {{crew_member}}{{/if}}.\n\nSi la nueva hora no le conviene, responda a este mensaje o llámenos.',
      ),
      sms: sms('Su visita de {{service}} pasa al {{when}}.'),
    },
    cancelled: {
      email: email(
        'Su visita de {{service}} del {{when}} está cancelada',
        'Hola, {{client_name}}:\n\nSu visita de {{service}} del {{when}} está cancelada. Para reservar otra fecha, responda a este mensaje o llámenos.',
      ),
      sms: sms('Su visita de {{service}} del {{when}} está cancelada.'),
    },
    weather: {
      email: email(
        'El tiempo y su visita de {{service}} del {{when}}',
        'Hola, {{client_name}}:\n\nSe prevé mal tiempo para su visita de {{service}} del {{when}}. Le avisaremos si tiene que cambiar de fecha.',
      ),
      sms: sms(
        'Se prevé mal tiempo para su visita del {{when}}. Le avisaremos si tiene que cambiar de fecha.',
      ),
    },
  },
  fr: {
    confirmation: {
      email: email(
        'Votre intervention {{service}} est réservée pour le {{when}}',
        'Bonjour {{client_name}},\n\nMerci pour votre réservation. Votre intervention {{service}} aura lieu le {{when}}{{#if crew_member}} avec {{crew_member}}{{/if}}.{{#if location}}\nAdresse : {{location}}{{/if}}\n\nPour la modifier, répondez à ce message ou appelez-nous.',
      ),
      sms: sms(
        'Votre intervention {{service}} est réservée pour le {{when}}. Répondez{{#if business_phone}} ou appelez le {{business_phone}}{{/if}} pour la modifier.',
      ),
    },
    reminder: {
      email: email(
        'Rappel : {{service}} le {{when}}',
        'Bonjour {{client_name}},\n\nNous vous rappelons votre intervention {{service}} le {{when}}{{#if crew_member}} avec {{crew_member}}{{/if}}.{{#if location}}\nAdresse : {{location}}{{/if}}\n\nÀ bientôt.',
      ),
      sms: sms('Rappel : votre intervention {{service}} a lieu le {{when}}.'),
    },
    rescheduled: {
      email: email(
        'Votre intervention {{service}} est déplacée au {{when}}',
        'Bonjour {{client_name}},\n\nVotre intervention {{service}}{{#if previous_when}}, prévue le {{previous_when}},{{/if}} aura désormais lieu le {{when}}{{#if crew_member}} avec {{crew_member}}{{/if}}.\n\nSi ce nouvel horaire ne vous convient pas, répondez à ce message ou appelez-nous.',
      ),
      sms: sms('Votre intervention {{service}} est déplacée au {{when}}.'),
    },
    cancelled: {
      email: email(
        'Votre intervention {{service}} du {{when}} est annulée',
        'Bonjour {{client_name}},\n\nVotre intervention {{service}} du {{when}} est annulée. Pour choisir une autre date, répondez à ce message ou appelez-nous.',
      ),
      sms: sms('Votre intervention {{service}} du {{when}} est annulée.'),
    },
    weather: {
      email: email(
        'La météo et votre intervention {{service}} du {{when}}',
        'Bonjour {{client_name}},\n\nLa météo annoncée pour votre intervention {{service}} du {{when}} est défavorable. Nous vous préviendrons si elle doit être déplacée.',
      ),
      sms: sms(
        'La météo annoncée pour votre intervention du {{when}} est défavorable. Nous vous préviendrons si la date change.',
      ),
    },
  },
  de: {
    confirmation: {
      email: email(
        'Ihr Termin „{{service}}“ ist gebucht: {{when}}',
        'Guten Tag {{client_name}},\n\nvielen Dank für Ihre Buchung. Ihr Termin „{{service}}“ ist am {{when}}{{#if crew_member}} mit {{crew_member}}{{/if}}.{{#if location}}\nOrt: {{location}}{{/if}}\n\nFalls Sie ihn ändern möchten, antworten Sie einfach oder rufen Sie uns an.',
      ),
      sms: sms(
        'Ihr Termin "{{service}}" ist gebucht: {{when}}. Zum Ändern antworten Sie{{#if business_phone}} oder rufen Sie {{business_phone}} an{{/if}}.',
      ),
    },
    reminder: {
      email: email(
        'Erinnerung: {{service}} am {{when}}',
        'Guten Tag {{client_name}},\n\nwir erinnern Sie an Ihren Termin „{{service}}“ am {{when}}{{#if crew_member}} mit {{crew_member}}{{/if}}.{{#if location}}\nOrt: {{location}}{{/if}}\n\nBis bald.',
      ),
      sms: sms('Erinnerung: Ihr Termin "{{service}}" ist am {{when}}.'),
    },
    rescheduled: {
      email: email(
        'Ihr Termin „{{service}}“ ist verschoben: {{when}}',
        'Guten Tag {{client_name}},\n\nIhr Termin „{{service}}“{{#if previous_when}}, geplant für {{previous_when}},{{/if}} ist jetzt am {{when}}{{#if crew_member}} mit {{crew_member}}{{/if}}.\n\nFalls Ihnen die neue Zeit nicht passt, antworten Sie einfach oder rufen Sie uns an.',
      ),
      sms: sms('Ihr Termin "{{service}}" ist verschoben auf {{when}}.'),
    },
    cancelled: {
      email: email(
        'Ihr Termin „{{service}}“ am {{when}} ist abgesagt',
        'Guten Tag {{client_name}},\n\nIhr Termin „{{service}}“ am {{when}} ist abgesagt. Für einen neuen Termin antworten Sie einfach oder rufen Sie uns an.',
      ),
      sms: sms('Ihr Termin "{{service}}" am {{when}} ist abgesagt.'),
    },
    weather: {
      email: email(
        'Das Wetter und Ihr Termin „{{service}}“ am {{when}}',
        'Guten Tag {{client_name}},\n\nfür Ihren Termin „{{service}}“ am {{when}} ist schlechtes Wetter angesagt. Wir melden uns, falls er verschoben werden muss.',
      ),
      sms: sms(
        'Für Ihren Termin am {{when}} ist schlechtes Wetter angesagt. Wir melden uns, falls er verschoben werden muss.',
      ),
    },
  },
}
