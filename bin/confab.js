#!/usr/bin/env node
// Thin launcher so `npx confab` runs the compiled CLI.
import('../dist/cli.js').then((cli) => cli.main(process.argv.slice(2)));
