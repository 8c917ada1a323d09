/**
 * The Studio panel's view type, also named by the `onWebviewPanel:` activation event. Its own file so
 * the activation bundle and the manifest test can import it without the rest of the webview code.
 */
export const studioViewType = 'gptImage.studio';
