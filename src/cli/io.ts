import { apiKeyEnvVars, providerIds } from '../core/ids';
import type { Logger } from '../core/logger';

/** Where the CLI talks to the user; tests run the built CLI, so this is only a seam for clarity. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** One written file per line: the only thing on stdout for generate, edit and resume. */
  stdout(line: string): void;
  stderr(line: string): void;
  /**
   * A terminal on stderr: `status` redraws one line in place (the batch's progress); undefined when
   * stderr is a pipe or a file, where progress is one line per event instead.
   */
  readonly status?: ((line: string) => void) | undefined;
}

export function processIo(): CliIo {
  const env = process.env;
  const secrets = providerIds.map((id) => env[apiKeyEnvVars[id]]).filter((key): key is string => typeof key === 'string' && key.length >= 8);
  // Every line passes both sinks' guards: `gpt-image jobs` prints provider words on stdout too.
  const safe = (line: string): string => terminalSafe(scrub(line, secrets));
  return {
    env,
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${safe(line)}\n`),
    // Belt and braces: http.ts already redacts headers, but no key may reach a terminal or CI log.
    stderr: (line) => process.stderr.write(`${safe(line)}\n`),
    // Carriage return and "erase line" are ours; the text itself passes the same guards.
    status: process.stderr.isTTY ? (line) => process.stderr.write(`\r\u001b[2K${safe(line)}`) : undefined,
  };
}

/**
 * Characters a terminal acts on instead of showing, which a provider (or a journal written from its
 * answers) could smuggle into an error, a task id or a prompt: C0 controls but tab (ESC starts
 * colour, cursor and OSC 8 hyperlink sequences, BEL ends them, CR overwrites the line, and a newline
 * inside one sink call would forge a line of its own, e.g. a fake file path on stdout), DEL,
 * the C1 block U+0080–U+009F (U+009B is a one-character CSI) and the bidi embedding, override and
 * isolate marks that reorder what is shown ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafeForTerminal = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Shows each such character as a visible `\uXXXX` escape, so the line still says what arrived. */
export function terminalSafe(text: string): string {
  return text.replace(unsafeForTerminal, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
