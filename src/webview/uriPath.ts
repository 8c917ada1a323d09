/**
 * Whether a URI path names its file directly: no `.` or `..` segment (either separator). A URI from
 * the page keeps such segments (vscode.Uri.parse does not normalise), and getWorkspaceFolder matches
 * segment by segment, so `file:///ws/../../home/u/secret.png` would pass as "inside /ws".
 */
export function hasNoDotSegments(path: string): boolean {
  return path.split(/[\\/]/).every((segment) => segment !== '.' && segment !== '..');
}
