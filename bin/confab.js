#!/usr/bin/env node
// `npx confab`: runs the bundled CLI, dist/bundle/confab.cjs (npm run build writes it; the
// header of scripts/bundle.mjs says why it is one script). The script is compiled with V8's code
// cache of an earlier start when there is one, so a warm start deserialises compiled code instead
// of parsing and compiling ~7 MB again; the first start after a build writes that cache as soon
// as it serves. The cache lives beside the bundle, whose folder each build replaces whole: V8
// checks that a cache was made by the same V8 with the same flags for a source of the same
// length, not that the source is the same, so no cache may outlive the bundle it was made from.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/bundle/confab.cjs', import.meta.url));
const cacheFile = `${bundle}.${process.version}-${process.arch}.cache`;

let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // none yet (or an unreadable one): compiled from the source, as node would
}
// wrapped as node wraps a CommonJS module, on the source's first line so its line numbers stay
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(bundle, 'utf8')}\n})`,
  { filename: bundle, cachedData },
);
const cli = { exports: {} };
script.runInThisContext()(cli.exports, createRequire(bundle), cli, bundle, path.dirname(bundle));

const args = process.argv.slice(2);
const started = cli.exports.main(args);
if (args[0] === 'start' && (cachedData === undefined || script.cachedDataRejected)) {
  // once the server serves, the cache holds what a start compiled, not only the top level
  void started.then(() => setImmediate(writeCache));
}

function writeCache() {
  const scratch = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(scratch, script.createCachedData());
    fs.renameSync(scratch, cacheFile); // whole, for a start reading it meanwhile
  } catch {
    // a bundle folder this user cannot write (an install owned by another): every start compiles
    fs.rmSync(scratch, { force: true });
  }
}
