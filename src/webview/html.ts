/** What the panel's HTML is built from; all URIs already passed through `webview.asWebviewUri`. */
export interface HtmlOptions {
  /** `webview.cspSource`: the origin local resources are served from. */
  readonly cspSource: string;
  /** One per render, from createNonce(). */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title: string;
}

/**
 * 128 random bits from the CSPRNG (never Math.random: a guessable nonce defeats the CSP). The global
 * Web Crypto rather than node:crypto, which would cost the activation bundle a few ms to require.
 */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}

/**
 * The Content-Security-Policy: nothing by default; images, styles and fonts only from the
 * extension's own resource origin (thumbnails are asWebviewUri URIs, never remote or data: URLs);
 * scripts only with the nonce. No 'unsafe-inline' anywhere.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/**
 * The Studio's page: kept tiny so it paints at once; main.ts builds the controls. No inline script,
 * no inline style, no inline event handlers (the CSP would block them, and they are an injection risk).
 */
export function renderHtml(options: HtmlOptions): string {
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>${escapeText(options.title)}</title>
</head>
<body>
<main id="app" data-testid="studio" aria-busy="true"><p class="loading">Loading the Studio…</p></main>
<script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}
