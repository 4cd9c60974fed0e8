import { build } from 'esbuild'

/**
 * Bundles a script to run as the app's main process runs: its own code in one ES module,
 * the packages left as imports (what electron-vite builds). `outfile` must sit inside the
 * project, so that those imports find node_modules (PGlite finds its wasm there).
 */
export async function bundleForNode(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  })
}
