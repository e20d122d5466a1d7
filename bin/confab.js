#!/usr/bin/env node
// Thin launcher so `npx confab` runs the bundled CLI (npm run build writes dist/bundle/).
import('../dist/bundle/confab.mjs').then((cli) => cli.main(process.argv.slice(2)));
