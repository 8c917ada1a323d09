import { planCost, targetsToMake } from '../core/batch/batchPlan';
import type { PlannedTarget } from '../core/batch/batchPlan';
import { targetLabel } from '../core/batch/batchTargets';
import { formatUsd } from '../core/cost';
import { providerLabels } from '../core/ids';
import type { LoadedBatch } from './batchLoad';
import type { CliIo } from './io';

/**
 * `--dry-run`: the plan on stdout, one line per target (what would be made, what is up to date,
 * what is in the way), then the estimated cost of what would be sent. Nothing is sent or moved.
 */
export function printPlan(batch: LoadedBatch, force: boolean, io: CliIo, discount = 1): void {
  for (const target of batch.plan.targets) io.stdout(planLine(target, force, discount));
  const toMake = targetsToMake(batch.plan, force);
  const images = toMake.reduce((sum, target) => sum + target.validated.totalImages, 0);
  const cost = planCost(toMake, discount);
  const uncounted = [...new Set(cost.uncounted.map((target) => providerLabels[target.target.provider]))];
  const counted = toMake.length - cost.uncounted.length;
  const usd = counted === 0 ? 'no estimate' : `${cost.approximate ? 'about ' : ''}${formatUsd(cost.usd)}`;
  const missing = uncounted.length > 0 ? `; not counted: ${uncounted.join(', ')} (no published price)` : '';
  const via = discount < 1 ? ` (Batch API: ${Math.round((1 - discount) * 100)} % off the synchronous price)` : '';
  io.stdout(`would send ${toMake.length} job${toMake.length === 1 ? '' : 's'} for ${images} image${images === 1 ? '' : 's'}: estimated cost ${usd}${via}${missing}. Nothing was sent.`);
}

function planLine(target: PlannedTarget, force: boolean, discount: number): string {
  const label = targetLabel(target.target);
  const images = target.validated.totalImages;
  const what = `${label} (${providerLabels[target.target.provider]}, ${images} image${images === 1 ? '' : 's'}, ${target.target.out}/${target.target.stems[0]}.*${images > 1 ? ` … ${target.target.stems.at(-1)}.*` : ''})`;
  const cost = target.cost.kind === 'usd' ? ` ${target.cost.approximate ? 'about ' : ''}${formatUsd(target.cost.usd * discount)}` : ' price unknown';
  switch (target.status) {
    case 'upToDate':
      return `up to date  ${what}`;
    case 'missing':
      return `make        ${what}${cost}`;
    case 'changed':
      return `remake      ${what}${cost}: the request changed; the previous file is kept under .gpt-image/previous/`;
    case 'conflict':
      return force
        ? `replace     ${what}${cost}: a file not made by gpt-image is there; --force keeps it under .gpt-image/previous/`
        : `conflict    ${what}: a file not made by gpt-image is there; left untouched (use --force to keep a copy and make it)`;
  }
}
