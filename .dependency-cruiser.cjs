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

const layerRules = LAYERS.flatMap((layer, index) => layer.map((folder) => {
  const above = [...LAYERS.slice(index + 1).flat(), ...layer.filter((other) => other !== folder)];
  return {
    name: `layer-${folder}`,
    severity: 'error',
    comment: `src/${folder}/ may import only ${LAYERS.slice(0, index).flat().map((f) => `src/${f}/`).concat(`src/${folder}/`).join(', ')} and packages.`,
    from: { path: `^src/${folder}/` },
    to: { path: above.length ? [`^src/(${above.join('|')})/`, '^src/[^/]+$'] : '^src/[^/]+$' },
  };
}));

/**
 * Temporary exception (issue 18), the one cycle allowed: conversations/status.ts ->
 * conversations/activity.ts and csat.ts -> messages/create.ts -> conversations/status.ts, and so
 * the folders conversations <-> messages. It goes when message storage has one implementation
 * (the rules of storing a message and of a status change in one place): then delete KNOWN_CYCLE
 * and the two rules that name it, and drop the `pathNot` of the first.
 */
const KNOWN_CYCLE = {
  folders: ['^src/domains/conversations$', '^src/domains/messages$'],
  modules: '^src/domains/(conversations/(status|activity|csat)|messages/create)[.]ts$',
};

const folderCycles = {
  name: 'no-folder-cycles',
  severity: 'error',
  comment: 'Two folders may not import each other, directly or around a circle: move the shared piece down into a module both import.',
  scope: 'folder',
};
const [conversations, messages] = KNOWN_CYCLE.folders;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    { ...folderCycles, from: { pathNot: KNOWN_CYCLE.folders }, to: { circular: true } },
    { ...folderCycles, from: { path: conversations }, to: { circular: true, pathNot: messages } },
    { ...folderCycles, from: { path: messages }, to: { circular: true, pathNot: conversations } },
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'No circular imports between modules either, inside one folder included.',
      from: {},
      // a cycle is allowed only when every module in it is one of the known cycle's
      to: { circular: true, via: { pathNot: KNOWN_CYCLE.modules } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]test[.]ts$' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
