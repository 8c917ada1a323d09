import type { Scenario } from './harness/scenario';
import { setApiKeyScenario } from './ui/setApiKey';

/** The UI scenarios of issue 6, in order; each lands with the feature it covers. */
export const scenarios: readonly Scenario[] = [setApiKeyScenario];
