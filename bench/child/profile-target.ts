/**
 * Runs one bench workload alone so it can be profiled:
 *   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/child/profile-target.ts <workload>
 * workloads: ensemble-create, ensemble-set, pipeline-create, seeds
 */
import { profileWorkloads } from '../sections/profile-workloads.ts';

const name = process.argv[2] ?? 'ensemble-create';
const fn = profileWorkloads[name];
if (!fn) throw new Error(`unknown workload ${name}; known: ${Object.keys(profileWorkloads).join(', ')}`);
const t = performance.now();
const ops = fn();
console.log(JSON.stringify({ name, ops, ms: performance.now() - t }));
