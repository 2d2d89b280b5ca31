import { runMembershipScenario } from './dist/src/run-membership.js'
import fs from 'node:fs'
const sc = JSON.parse(fs.readFileSync('scenarios/swim-detect-1000.json'))
sc.seed = 4
// monkey: capture per-crash monitor latencies via a patched distribution? simpler: rerun with onEmit hook is internal; use result only
const r = runMembershipScenario(sc)
console.log(r.detection)
