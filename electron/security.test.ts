import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_CSP } from './main/app-protocol'
import { sourceRoot } from './main/core/paths'

/**
 * Electronegativity over the Electron code: every finding must be one that was reviewed
 * and justified in security-review.json; anything new fails. (The tool exits 0 even
 * with findings, so the SARIF report is read.)
 */
interface Sarif {
  runs: {
    results?: {
      ruleId: string
      message: { text: string }
      locations?: { physicalLocation: { artifactLocation: { uri: string } } }[]
    }[]
  }[]
}

describe('Electron security', () => {
  it('passes electronegativity, apart from the findings justified in writing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-sarif-'))
    try {
      const out = join(dir, 'report.sarif')
      const bin = join(sourceRoot(), 'node_modules', '.bin', 'electronegativity')
      const run = spawnSync(
        bin,
        ['-i', join(sourceRoot(), 'electron'), '-e', '45.5.0', '-o', out],
        {
          encoding: 'utf8',
          timeout: 120_000,
        },
      )
      expect(run.status, run.stderr).toBe(0)
      const report = JSON.parse(readFileSync(out, 'utf8')) as Sarif
      const findings = report.runs.flatMap((r) => r.results ?? [])
      const reviewed = JSON.parse(
        readFileSync(join(sourceRoot(), 'electron', 'security-review.json'), 'utf8'),
      ) as Record<string, string>
      const unjustified = findings.filter((f) => !reviewed[f.ruleId])
      expect(unjustified.map((f) => `${f.ruleId}: ${f.message.text}`)).toEqual([])
      // The checks that matter most must have run and found nothing.
      const ids = findings.map((f) => f.ruleId)
      for (const check of [
        'CONTEXT_ISOLATION_JS_CHECK',
        'NODE_INTEGRATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'AUXCLICK_JS_CHECK',
      ]) {
        expect(ids).not.toContain(check)
      }
      // shell.openExternal is called in one place only, behind the allow-list (the next test).
      const openExternal = findings.filter((f) => f.ruleId === 'OPEN_EXTERNAL_JS_CHECK')
      expect(
        openExternal.map((f) => f.locations?.[0]?.physicalLocation.artifactLocation.uri),
      ).toEqual([join(sourceRoot(), 'electron', 'main', 'window.ts')])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('keeps the window settings that the sandbox depends on', () => {
    const source = readFileSync(join(sourceRoot(), 'electron', 'main', 'window.ts'), 'utf8')
    for (const setting of [
      'contextIsolation: true',
      'sandbox: true',
      'nodeIntegration: false',
      'webSecurity: true',
      'webviewTag: false',
    ]) {
      expect(source).toContain(setting)
    }
    expect(source).toContain('setWindowOpenHandler(')
    expect(source).toContain("'will-navigate'")
    // No window is ever opened; links out go to the OS only through the allow-list.
    expect(source).toContain("return { action: 'deny' }")
    expect(source).not.toContain("action: 'allow'")
    expect(source.match(/openExternal\(/g)).toHaveLength(1)
    expect(source).toContain('const url = externalUrl(raw)\n  if (url) shell.openExternal(url)')
  })

  it('packages with the fuses that keep the app from being run as something else', () => {
    const config = readFileSync(join(sourceRoot(), 'electron-builder.yml'), 'utf8')
    const fuses = config.split(/^electronFuses:\n/m)[1]?.split(/^\S/m)[0] ?? ''
    for (const fuse of [
      'runAsNode: false',
      'enableNodeOptionsEnvironmentVariable: false',
      'enableNodeCliInspectArguments: false',
      'enableEmbeddedAsarIntegrityValidation: true',
      'onlyLoadAppFromAsar: true',
      'grantFileProtocolExtraPrivileges: false',
    ]) {
      expect(fuses).toMatch(new RegExp(`^\\s+${fuse}$`, 'm'))
    }
  })

  it('serves the renderer from app:// with one policy, never from file:// or an env address', () => {
    const main = (file: string) =>
      readFileSync(join(sourceRoot(), 'electron', 'main', file), 'utf8')
    const window = main('window.ts')
    expect(window).toContain(APP_CSP)
    expect(window).not.toContain('loadFile(')
    expect(window).toContain('protocol.handle(APP_SCHEME')
    // The dev server address is read in one place, which ignores it once packaged.
    expect(main('index.ts')).not.toContain('ELECTRON_RENDERER_URL')
    expect(main('index.ts')).toContain('devServerFrom(process.env, app.isPackaged)')
  })
})
