import type { Scenario } from './harness/scenario';

/** The UI scenarios of issue 6, in order; each lands with the feature it covers. */
export const scenarios: readonly Scenario[] = [];
