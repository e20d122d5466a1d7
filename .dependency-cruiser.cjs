// The allowed direction of imports, written once; `npm run lint:deps` (run by `npm test`) checks it.
// The graph is the runtime one (tsPreCompilationDeps off: `import type` is erased, as tsc does),
// since runtime imports decide what loads first and what a module drags in.

/**
 * Layers of src/, lowest first. A folder may import its own layer's folder and the layers below;
 * folders of one layer do not import each other; src/*.ts (app.ts, server.ts, cli.ts) compose
 * everything on top. So src/core/ imports nothing outside src/core/ (and packages).
 */
const LAYERS = [
  ['core'], // http, db, events, realtime, webhooks, jobs, storage, tokens, config, errors
  ['serializers'], // one file per Chatwoot jbuilder partial
  ['domains'], // a folder per resource: routes, rules, queries
  ['client-api', 'platform', 'subscribers', 'tasks'], // API families, bus listeners, job tasks
];

const layerRules = LAYERS.flatMap((layer, index) =>
  layer.map((folder) => {
    const above = [...LAYERS.slice(index + 1).flat(), ...layer.filter((other) => other !== folder)];
    return {
      name: `layer-${folder}`,
      severity: 'error',
      comment: `src/${folder}/ may import only ${LAYERS.slice(0, index)
        .flat()
        .map((f) => `src/${f}/`)
        .concat(`src/${folder}/`)
        .join(', ')} and packages.`,
      from: { path: `^src/${folder}/` },
      to: { path: above.length ? [`^src/(${above.join('|')})/`, '^src/[^/]+$'] : '^src/[^/]+$' },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment:
        'Two folders may not import each other, directly or around a circle: move the shared piece down into a module both import.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'No circular imports between modules either, inside one folder included.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]test[.]ts$' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
