/**
 * Preloaded with `node --require rssProbe.js` into a measured process: on exit it writes the
 * process's peak resident set size to the file named by BENCH_RSS_FILE. The process measures
 * itself, so the figure is the same for our CLI and for the SDK script whatever they do.
 *
 * On Linux it reads VmHWM from /proc/self/status, NOT getrusage's maxrss: the kernel folds the
 * parent's RSS at fork time into the child's maxrss across exec, so a child of the (large) bench
 * process would report at least the parent's size. VmHWM belongs to the child's own address space.
 */
import { readFileSync, writeFileSync } from 'node:fs';

function peakRssKb(): { readonly kb: number; readonly source: string } {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return { kb: Number(match[1]), source: 'VmHWM' };
  } catch {
    // Not Linux: fall through to getrusage (macOS spawns without fork, so no inherited figure).
  }
  return { kb: process.resourceUsage().maxRSS, source: 'maxrss' };
}

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const peak = peakRssKb();
    writeFileSync(target, JSON.stringify({ maxRssKb: peak.kb, rssSource: peak.source, userCpuUs: usage.userCPUTime, systemCpuUs: usage.systemCPUTime }));
  });
}
