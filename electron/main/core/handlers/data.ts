import { requireActor } from '../auth'
import { backup, listBackups, restore } from '../data/backup'
import { exportData } from '../data/export'
import { importCsv } from '../data/import'
import type { Handlers } from './types'

export const dataHandlers = {
  'data.export': async (ctx, input) => {
    await requireActor(ctx, 'data.export')
    return exportData(ctx, input.kind, input.format, input.filters)
  },
  'data.import': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    return importCsv(ctx, input.kind, input.csv, input.mode)
  },
  'data.backup': async (ctx) => {
    await requireActor(ctx, 'data.admin')
    return backup(ctx)
  },
  'data.backups': async (ctx) => {
    await requireActor(ctx, 'data.admin')
    return { backups: listBackups(ctx) }
  },
  'data.restore': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    return restore(ctx, input.file)
  },
} satisfies Partial<Handlers>
