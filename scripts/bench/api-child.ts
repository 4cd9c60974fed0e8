/** Runs the read benchmarks in a process of their own, as the app would run them. */
import { benchApi } from './api'

const [dataDir, anchor, runs] = process.argv.slice(2)
if (!dataDir || !anchor || !runs) throw new Error('usage: api-child DATA_DIR ANCHOR RUNS')
const result = await benchApi(dataDir, new Date(anchor), Number(runs))
console.log(JSON.stringify(result))
