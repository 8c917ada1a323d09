/**
 * Preloaded with `node --require rssProbe.js` into a measured process: on exit it writes the
 * process's peak resident set size (getrusage maxrss) to the file named by BENCH_RSS_FILE. The
 * process measures itself, so the figure is the same for our CLI and for the SDK script whatever
 * they do, and no external tool is needed.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKb: usage.maxRSS, userCpuUs: usage.userCPUTime, systemCpuUs: usage.systemCPUTime }));
  });
}
