import type { Scenario } from './harness/scenario';
import { badInputScenario } from './ui/badInput';
import { batchApiEditorScenario } from './ui/batchApiEditor';
import { batchRunScenario } from './ui/batchRun';
import { batchSideBySideScenario } from './ui/batchSideBySide';
import { copilotToolScenario } from './ui/copilotTool';
import { editImageScenario } from './ui/editImage';
import { generateOpenAiScenario } from './ui/generateOpenAi';
import { hostileWorkspaceScenario } from './ui/hostileWorkspace';
import { l10nStudioScenario } from './ui/l10nStudio';
import { modellixResumeScenario } from './ui/modellixResume';
import { polishCheckSetupScenario } from './ui/polishCheckSetup';
import { polishFromSelectionScenario, polishGenerateHereScenario } from './ui/polishEveryday';
import { polishWalkthroughScenario } from './ui/polishWalkthrough';
import { setApiKeyScenario } from './ui/setApiKey';
import { spendLimitScenario } from './ui/spendLimit';
import { studioScenario } from './ui/studio';
import { studioCompareScenario } from './ui/studioCompare';
import { studioKeyboardScenario } from './ui/studioKeyboard';
import { studioMaskScenario } from './ui/studioMask';
import { studioPartialScenario } from './ui/studioPartial';
import { studioPreviewScenario } from './ui/studioPreview';

/** The UI scenarios of issue 6, in order; each lands with the feature it covers. */
export const scenarios: readonly Scenario[] = [
  setApiKeyScenario,
  generateOpenAiScenario,
  modellixResumeScenario,
  editImageScenario,
  studioScenario,
  studioPartialScenario,
  studioMaskScenario,
  studioKeyboardScenario,
  studioPreviewScenario,
  studioCompareScenario,
  badInputScenario,
  hostileWorkspaceScenario,
  spendLimitScenario,
  copilotToolScenario,
  batchRunScenario,
  batchApiEditorScenario,
  batchSideBySideScenario,
  polishWalkthroughScenario,
  polishGenerateHereScenario,
  polishFromSelectionScenario,
  polishCheckSetupScenario,
  l10nStudioScenario,
];
