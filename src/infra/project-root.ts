import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding the project's package.json (where drizzle/, node_modules/, dist/ and
 * src/ui/static live). Found by walking up from this module, so it is the same whether the server
 * runs from the TypeScript sources (src/infra) or from the bundle (dist/server).
 */
export function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'amtsblatt') return dir;
    if (dirname(dir) === dir) throw new Error(`package.json of amtsblatt not found above ${from}`);
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname);
