import { apiKeyEnvVars, providerIds } from '../core/ids';
import type { Logger } from '../providers/types';

/** Where the CLI talks to the user; tests run the built CLI, so this is only a seam for clarity. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** One written file per line: the only thing on stdout for generate, edit and resume. */
  stdout(line: string): void;
  stderr(line: string): void;
}

export function processIo(): CliIo {
  const env = process.env;
  const secrets = providerIds.map((id) => env[apiKeyEnvVars[id]]).filter((key): key is string => typeof key === 'string' && key.length >= 8);
  return {
    env,
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    // Belt and braces: http.ts already redacts headers, but no key may reach a terminal or CI log.
    stderr: (line) => process.stderr.write(`${scrub(line, secrets)}\n`),
  };
}

export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  return result;
}

/** One line, no stack: collapses whitespace so a provider's multi-line message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Provider and runner log lines: warnings (a retry after a 429, a 503 on a poll) are progress and
 * go to stderr unless --quiet; debug lines only with GPT_IMAGE_DEBUG=1.
 */
export function createCliLogger(io: CliIo, quiet: boolean): Logger {
  const debug = io.env.GPT_IMAGE_DEBUG === '1' || io.env.GPT_IMAGE_DEBUG === 'true';
  const emit = (show: boolean, message: string): void => {
    if (show) io.stderr(`gpt-image: ${oneLine(message)}`);
  };
  return {
    trace: (message) => emit(debug, message),
    debug: (message) => emit(debug, message),
    info: (message) => emit(debug, message),
    warn: (message) => emit(!quiet || debug, message),
    error: (message) => emit(!quiet || debug, message),
  };
}
