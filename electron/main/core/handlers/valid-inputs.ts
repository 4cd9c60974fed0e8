import type { Channel, ChannelInput } from '../../../../shared/contract'
import { type Fixture, TEST_PIN } from '../test/fixture'

/**
 * One valid input per channel, for the table-driven and property tests. Typed over
 * every channel, so a new channel without an entry here does not compile.
 */
export type ValidInputs = { [C in Channel]: (f: Fixture, appointmentId: string) => ChannelInput<C> }

export const validInputs: ValidInputs = {
  'appointments.list': () => ({ limit: 5 }),
  'appointments.get': (_, id) => ({ id }),
  'appointments.create': (f) => ({
    clientId: f.smith.id,
    serviceId: f.mowing.id,
    teamMemberId: f.ana.id,
    scheduledAt: '2027-01-04T15:00:00Z',
    acceptConflict: true,
  }),
  'appointments.update': (_, id) => ({ id, notes: 'updated' }),
  'appointments.reschedule': (_, id) => ({
    id,
    scheduledAt: '2027-02-01T15:00:00Z',
    acceptConflict: true,
  }),
  'appointments.setStatus': (_, id) => ({ id, status: 'in_progress' }),
  'appointments.delete': (_, id) => ({ id }),
  'calendar.range': () => ({ from: '2027-01-01T00:00:00Z', to: '2027-01-08T00:00:00Z' }),
  'catalog.services.list': () => ({ search: 'mow' }),
  'catalog.services.get': (f) => ({ id: f.mowing.id }),
  'catalog.services.create': () => ({ name: 'Snow plowing', basePrice: '85', durationMinutes: 45 }),
  'catalog.services.update': (f) => ({ id: f.mowing.id, basePrice: '60.50' }),
  'catalog.services.archive': (f) => ({ id: f.pruning.id }),
  'catalog.products.list': () => ({}),
  'catalog.products.get': (f) => ({ id: f.mulch.id }),
  'catalog.products.create': () => ({ name: 'Topsoil', unit: 'cu yd', unitPrice: '38' }),
  'catalog.products.update': (f) => ({ id: f.mulch.id, unitPrice: '44.00' }),
  'catalog.products.archive': (f) => ({ id: f.mulch.id }),
  'clients.list': () => ({ search: 'smith' }),
  'clients.get': (f) => ({ id: f.smith.id }),
  'clients.create': () => ({ name: 'New Client', email: 'new@example.com', latitude: 41.9 }),
  'clients.update': (f) => ({ id: f.jones.id, phone: '555-0101' }),
  'clients.archive': (f) => ({ id: f.jones.id }),
  'team.list': () => ({}),
  'team.get': (f) => ({ id: f.ana.id }),
  'team.create': (f) => ({ name: 'Cara Crew', specialtyIds: [f.mowing.id] }),
  'team.update': (f) => ({ id: f.ana.id, color: '#1565c0' }),
  'team.setAvailability': (f) => ({ id: f.ana.id, isAvailable: false }),
  'team.setSpecialties': (f) => ({ id: f.ana.id, serviceIds: [f.mowing.id, f.pruning.id] }),
  'team.archive': (f) => ({ id: f.ben.id }),
  'session.get': () => ({}),
  'session.users': () => ({}),
  'session.switch': (f) => ({ userId: f.manager.id, pin: TEST_PIN }),
  'session.lock': () => ({}),
  'session.touch': () => ({}),
  'session.createUser': () => ({ name: 'New Person', role: 'office_manager', pin: '97531' }),
  // The same PIN again, and the crew lead given the fixture's: later switches still work.
  'session.changePin': () => ({ currentPin: TEST_PIN, pin: TEST_PIN }),
  'session.resetPin': (f) => ({ userId: f.lead.id, pin: TEST_PIN }),
  'session.setIdleMinutes': () => ({ minutes: 30 }),
  'system.status': () => ({}),
  // Port 9 (discard) refuses at once: the channels' own checks run, the call then fails
  // as "server unreachable". The sync tests drive these against a real server.
  'sync.status': () => ({}),
  'sync.configure': () => ({ serverUrl: 'http://127.0.0.1:9', token: `gk_${'a'.repeat(43)}` }),
  'sync.disconnect': () => ({}),
  'sync.pause': () => ({ paused: true }),
  'sync.now': () => ({}),
  'sync.conflicts': () => ({ status: 'open' }),
  'sync.resolve': (_, id) => ({ id, resolution: 'keep_both' }),
  'data.export': () => ({ kind: 'clients', format: 'csv' }),
  'data.import': () => ({ kind: 'clients', csv: 'name,email\nNew Import,new@example.com\n' }),
  'data.backups': () => ({}),
  'data.backup': () => ({}),
  'data.restore': () => ({ file: 'none.gkbackup' }),
  'notifications.list': (f) => ({ status: ['dead'], clientId: f.smith.id, limit: 10 }),
  // The accepting test replaces it with a dead message's id (channels.test.ts).
  'notifications.retry': (_, id) => ({ id }),
  'notifications.templates': () => ({}),
  'notifications.saveTemplate': () => ({
    kind: 'reminder',
    channel: 'sms',
    locale: 'en',
    subject: '',
    body: '{{business_name}}: see you {{when}}.',
  }),
  'notifications.preview': (_, id) => ({
    kind: 'confirmation',
    channel: 'email',
    subject: 'Booked: {{when}}',
    body: 'Hello {{client_name}}',
    appointmentId: id,
  }),
  'notifications.settings': () => ({}),
  'notifications.updateSettings': () => ({
    businessName: 'Greenway Gardens',
    reminderLeadMinutes: 1440,
    sendingHours: { start: '08:00', end: '20:00' },
    email: {
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      user: 'office',
      password: 'secret',
      from: 'office@example.com',
    },
  }),
  'settings.get': () => ({}),
  'settings.update': () => ({
    timeZone: 'America/Denver',
    workingHours: { start: '06:30', end: '17:00', days: [1, 2, 3, 4, 5] },
  }),
}
