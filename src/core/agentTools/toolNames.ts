/**
 * The ids the editor knows the agent entry points by, apart from their specs so the activation
 * bundle can register them without loading the specs (package.json carries the same ids).
 */
export const copilotToolNames = { generate: 'gptImage_generate', edit: 'gptImage_edit' } as const;

/** package.json `mcpServerDefinitionProviders[].id` and the registration id. */
export const mcpProviderId = 'gptImage.mcp';
