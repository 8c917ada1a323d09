/** Where every layer writes its log lines: the extension's log channel, the CLI's stderr. Hosts scrub keys from each line. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
