// The allowed direction of imports, written once; `npm run lint:deps` (run by `npm test`) checks it.
//
//   src/core/         http, db, events, realtime, webhooks, jobs, storage, tokens, config, errors:
//                     imports nothing outside src/core/ (and packages)
//   everything else   may import the core; folders never import each other in a circle
//
// The graph is the runtime one (tsPreCompilationDeps off: `import type` is erased, as tsc does),
// since only runtime imports decide what loads first and what a module drags in.

/**
 * Temporary exception (issue 18): conversations/status.ts -> conversations/activity.ts and
 * csat.ts -> messages/create.ts -> conversations/status.ts. It goes away when message storage
 * has one implementation (the rules of storing a message and of a status change then live in one
 * place); delete these two entries with it. Nothing else may form a cycle.
 */
const KNOWN_CYCLE_FOLDERS = ['^src/domains/conversations$', '^src/domains/messages$'];
const KNOWN_CYCLE_MODULES = '^src/domains/(conversations/(status|activity|csat)|messages/create)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'src/core/ is the thin shared layer: it may not import a domain, an API adapter, a serializer or a subscriber.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Two folders may not import each other, directly or around a circle: move the shared piece down into a module both import.',
      scope: 'folder',
      from: { pathNot: KNOWN_CYCLE_FOLDERS },
      to: { circular: true, pathNot: KNOWN_CYCLE_FOLDERS },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'No circular imports between modules either, inside one folder included.',
      from: {},
      to: { circular: true, viaOnly: { pathNot: KNOWN_CYCLE_MODULES } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]test[.]ts$' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
