import type { Scenario } from './harness/scenario';
import { badInputScenario } from './ui/badInput';
import { editImageScenario } from './ui/editImage';
import { generateOpenAiScenario } from './ui/generateOpenAi';
import { hostileWorkspaceScenario } from './ui/hostileWorkspace';
import { modellixResumeScenario } from './ui/modellixResume';
import { polishCheckSetupScenario } from './ui/polishCheckSetup';
import { polishFromSelectionScenario, polishGenerateHereScenario } from './ui/polishEveryday';
import { polishWalkthroughScenario } from './ui/polishWalkthrough';
import { setApiKeyScenario } from './ui/setApiKey';
import { studioScenario } from './ui/studio';
import { studioPartialScenario } from './ui/studioPartial';

/** The UI scenarios of issue 6, in order; each lands with the feature it covers. */
export const scenarios: readonly Scenario[] = [setApiKeyScenario, generateOpenAiScenario, modellixResumeScenario, editImageScenario, studioScenario, studioPartialScenario, badInputScenario, hostileWorkspaceScenario, polishWalkthroughScenario, polishGenerateHereScenario, polishFromSelectionScenario, polishCheckSetupScenario];
