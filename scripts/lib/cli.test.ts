import { describe, expect, it } from 'vitest'
import { HelpRequested, parseFlags, subcommand, UsageError } from './cli'

/** How every command reads its flags: the same words for the same slips. */
describe('command-line flags', () => {
  const spec = {
    port: { type: 'int', default: 8787, min: 0, max: 65535 },
    name: { type: 'string' },
    quiet: { type: 'boolean' },
  } as const

  it('take a negative number as the value it is, and say what is wrong with it', () => {
    expect(() => parseFlags(['--port', '-1'], spec)).toThrow(
      new UsageError('--port must be between 0 and 65535'),
    )
    expect(parseFlags(['--name', '-5', '--port', '80'], spec)).toMatchObject({
      name: '-5',
      port: 80,
    })
    // A flag after a flag that takes a value is still a flag.
    expect(() => parseFlags(['--name', '--quiet'], spec)).toThrow(UsageError)
  })

  it('list the commands on --help before one is named', () => {
    expect(() => subcommand(['--help'], ['create', 'list'])).toThrow(HelpRequested)
    expect(() => subcommand(['-h'], ['create', 'list'])).toThrow(
      'commands: create, list (--help after one lists its flags)',
    )
    expect(() => subcommand(['frob'], ['create', 'list'])).toThrow('unknown command frob')
  })
})
