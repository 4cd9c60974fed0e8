import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { sourceRoot } from '../electron/main/core/paths'
import { chromiumLaunchOptions } from './lib/chromium'

/**
 * Renders the app's logo (build/icon.svg, the one source) to the PNGs the installers
 * and the window use, with Chromium (already here for the end-to-end tests) rather than
 * an image library: build/icons/<n>x<n>.png for Linux and the window, and
 * build/icon.png (1024 px), from which electron-builder makes the Windows .ico and the
 * macOS .icns. The renderer's copy (renderer/public/logo.svg: header and favicon) is
 * refreshed too. Run after changing the SVG: `npx tsx scripts/render-icons.ts`; the
 * results are committed.
 */
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const

const root = sourceRoot()
const svgPath = join(root, 'build', 'icon.svg')
const svg = readFileSync(svgPath, 'utf8')
const iconsDir = join(root, 'build', 'icons')
mkdirSync(iconsDir, { recursive: true })

const browser = await chromium.launch(chromiumLaunchOptions)
try {
  for (const size of ICON_SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } })
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
    await page.setContent(
      `<html><body style="margin:0;background:transparent">` +
        `<img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
    )
    // The image is decoded before the picture is taken (no half-drawn icon).
    await page
      .locator('img')
      .evaluate((img) => (img as unknown as { decode: () => Promise<void> }).decode())
    const png = await page.screenshot({ omitBackground: true, type: 'png' })
    writeFileSync(join(iconsDir, `${size}x${size}.png`), png)
    await page.close()
  }
} finally {
  await browser.close()
}
copyFileSync(join(iconsDir, '1024x1024.png'), join(root, 'build', 'icon.png'))
copyFileSync(svgPath, join(root, 'renderer', 'public', 'logo.svg'))
console.log(`rendered ${ICON_SIZES.length} sizes to ${iconsDir}`)
