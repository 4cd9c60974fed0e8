import { checkWalls, describeViolation, repoRoot } from './lib/walls'

/** `npm run lint` step: fails when a part of the code imports across a wall. */
const root = process.argv[2] ?? repoRoot()
const violations = checkWalls(root)
for (const v of violations) console.error(describeViolation(v))
if (violations.length) {
  console.error(`${violations.length} import(s) cross a wall (scripts/lib/walls.ts)`)
  process.exit(1)
}
console.log('walls: no import crosses a wall')
