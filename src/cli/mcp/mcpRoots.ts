import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `gpt-image mcp` may read and write: the client's MCP roots when it offers them, else the
 * server's working directory (docs/architecture.md, "Trust boundaries"). Kept as real paths, so a
 * symbolic link inside a root that leads out of it is outside.
 */
export interface Confinement {
  /** Real paths of the roots; relative paths resolve against the first. */
  readonly roots: readonly string[];
}

/** Roots from `roots/list` (file:// URIs; others are ignored), else `cwd`. */
export async function confinementFor(rootUris: readonly string[] | undefined, cwd: string): Promise<Confinement> {
  const paths = (rootUris ?? []).flatMap((uri) => {
    try {
      return uri.startsWith('file:') ? [fileURLToPath(uri)] : [];
    } catch {
      return [];
    }
  });
  const chosen = paths.length > 0 ? paths : [cwd];
  const roots = await Promise.all(chosen.map((path) => realpath(path).catch(() => resolve(path))));
  return { roots };
}

export type ConfinedPath = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly issue: string };

/**
 * `value` (relative to the first root, or absolute) as a real path inside a root. A path that does
 * not exist yet (an output folder) is judged by its nearest existing ancestor, links resolved.
 */
export async function confinedPath(confinement: Confinement, value: string, what: string): Promise<ConfinedPath> {
  const base = confinement.roots[0] ?? process.cwd();
  const lexical = isAbsolute(value) ? resolve(value) : resolve(base, value);
  const real = await realWithMissingTail(lexical);
  const inside = confinement.roots.some((root) => isInside(root, real));
  if (!inside) {
    return {
      ok: false,
      issue: `${what} ${value} is outside ${confinement.roots.length === 1 ? 'the root' : 'the roots'} ${confinement.roots.join(', ')}${real !== lexical ? ` (it leads to ${real})` : ''}: only paths inside are read or written, and nothing was sent.`,
    };
  }
  return { ok: true, path: real };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

async function realWithMissingTail(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(current.slice(parent.length).replace(/^[\\/]+/, ''));
      current = parent;
    }
  }
}
