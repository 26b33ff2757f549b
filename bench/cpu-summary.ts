// Summarises a V8 CPU profile (.cpuprofile): self time by function and by source file, the top of
// each, so a profile can be read and compared in a terminal.
//   node --import tsx bench/cpu-summary.ts profile.cpuprofile [rows]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

// Piped into `head`, the summary stops when the reader has enough.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const [file, rowsText = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-summary.ts profile.cpuprofile [rows]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const total = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

function shortUrl(url: string): string {
  const at = url.indexOf('/node_modules/');
  if (at >= 0) return url.slice(at + '/node_modules/'.length);
  const src = url.search(/\/(src|bench)\//);
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '') || '(native)';
}

function top(key: (node: ProfileNode) => string): [string, number][] {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const k = key(node);
    sums.set(k, (sums.get(k) ?? 0) + us);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsText));
}

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
process.stdout.write(`${(total / 1000).toFixed(0)} ms sampled\n\nself time by function:\n`);
for (const [name, us] of top(
  (n) =>
    `${n.callFrame.functionName || '(anonymous)'}  ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`,
))
  process.stdout.write(`${pct(us)}  ${name}\n`);
process.stdout.write('\nself time by file:\n');
for (const [name, us] of top((n) => shortUrl(n.callFrame.url).replace(/:.*/, '')))
  process.stdout.write(`${pct(us)}  ${name}\n`);
