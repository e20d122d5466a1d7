import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder Confab is installed in (the checkout, or node_modules/confab): the nearest folder
 * above this module with a package.json. This module runs from src/core (tests, tsx), from
 * dist/core (tsc's output) and from the bundle dist/bundle/confab.cjs, each at its own depth.
 */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
