// The figures issue 23 sets goals for, and how a benchmark records what it measured: `npm run bench`
// (run.mjs) ends with one table of them. A bench calls recordFigure(id, value, conditions) next to
// the line it prints; with BENCH_FIGURES naming a file (run.mjs sets it), each call appends one JSON
// line there. Alone (`npm run bench:contacts`), a bench records nothing and prints as before.
import fs from 'node:fs';

/**
 * Every figure with its goal, in the table's order. `max`/`min` bound the value; `at` names a
 * condition the goal holds at (a figure measured below it is shown, but not met); `unit` formats it.
 */
export const FIGURES = [
  { id: 'contacts.list', label: 'contacts list page 1, p99', unit: 'ms', max: 50, at: { contacts: 1_000_000 } },
  { id: 'contacts.search.rare', label: 'contacts search rare, p99', unit: 'ms', max: 50, at: { contacts: 1_000_000 } },
  {
    id: 'contacts.search.common',
    label: 'contacts search common, p99',
    unit: 'ms',
    max: 50,
    at: { contacts: 1_000_000 },
  },
  {
    id: 'contacts.filter.email',
    label: 'contacts filter email contains, p99',
    unit: 'ms',
    max: 50,
    at: { contacts: 1_000_000 },
  },
  {
    id: 'contacts.filter.city_identifier',
    label: 'contacts filter city AND identifier, p99',
    unit: 'ms',
    max: 50,
    at: { contacts: 1_000_000 },
  },
  { id: 'contacts.import.rate', label: 'CSV contact import', unit: 'rows/s', min: 20_000, at: { contacts: 1_000_000 } },
  // "flat memory": a streaming import holds a bounded batch whatever the file's size, so ten times
  // the rows (a tenth of them first, in the same run) leave the importing process's peak RSS where
  // it was, up to the garbage collector's jitter (±15 MB between runs of one size; the CLI's
  // peak is ~170 MB, most of it the loaded server code)
  {
    id: 'contacts.import.rss',
    label: 'CSV import peak RSS growth, 1/10 → all rows',
    unit: 'MB',
    max: 25,
    at: { contacts: 1_000_000 },
  },
  { id: 'webhooks.drain', label: 'webhook drain, alone', unit: '/s', min: 1_000 },
  { id: 'webhooks.drain.loaded', label: 'webhook drain, under API load', unit: '/s', min: 500 },
  {
    id: 'webhooks.api.p99_ratio',
    label: 'API p99 while a backlog drains / without',
    unit: '×',
    max: 1.2,
  },
  { id: 'api.message.p50', label: 'API POST reply notifying + webhook, 4 clients, p50', unit: 'ms', max: 10 },
  { id: 'api.message.p99', label: 'API POST reply notifying + webhook, 4 clients, p99', unit: 'ms', max: 30 },
  { id: 'startup.warm', label: 'warm start to first 200', unit: 'ms', max: 1_000 },
  { id: 'startup.warm_vs_bare', label: 'warm start / bare Fastify', unit: '×', max: 3 },
  { id: 'startup.cold', label: 'cold start (initdb) to first 200', unit: 'ms', max: 2_000 },
];

/** Records a measured figure (see FIGURES for ids); `conditions` says what it was measured at, e.g. { contacts: 200000 }. */
export function recordFigure(id, value, conditions = {}) {
  const file = process.env.BENCH_FIGURES;
  if (!file) return;
  if (!FIGURES.some((f) => f.id === id)) throw new Error(`recordFigure: unknown figure ${id}`);
  fs.appendFileSync(file, `${JSON.stringify({ id, value, conditions })}\n`);
}

/** Records bench/machine.mjs's readings of the machine itself, printed under the table. */
export function recordMachine(readings) {
  const file = process.env.BENCH_FIGURES;
  if (file) fs.appendFileSync(file, `${JSON.stringify({ machine: readings })}\n`);
}

const format = (value, unit, exact = false) => {
  const digits = exact && Number.isInteger(value) ? 0 : unit === '×' || value < 100 ? 1 : 0;
  return `${value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
};

/** The summary table of the figures recorded in `file` (the last value of each), one row per figure of FIGURES. */
export function figuresTable(file) {
  const recorded = new Map();
  let machine;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n').filter(Boolean)) {
    const entry = JSON.parse(line);
    if (entry.machine) machine = entry.machine;
    else recorded.set(entry.id, entry);
  }
  const rows = FIGURES.map((figure) => {
    const goal = `${figure.max !== undefined ? '≤' : '≥'} ${format(figure.max ?? figure.min, figure.unit, true)}${
      figure.at ? ` at ${Object.entries(figure.at).map(([k, v]) => `${v.toLocaleString('en')} ${k}`)}` : ''
    }`;
    const entry = recorded.get(figure.id);
    if (!entry || !Number.isFinite(entry.value)) return [figure.label, 'not measured', goal, 'no'];
    const within = figure.max !== undefined ? entry.value <= figure.max : entry.value >= figure.min;
    const short = Object.entries(figure.at ?? {}).filter(([k, v]) => !(entry.conditions?.[k] >= v));
    const at = Object.entries(entry.conditions ?? {})
      .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
      .join(', ');
    const now = `${format(entry.value, figure.unit)}${at ? ` (${at})` : ''}`;
    const met = !within ? 'no' : short.length ? "below the goal's scale" : 'yes';
    return [figure.label, now, goal, met];
  });
  const header = ['figure', 'now', 'goal', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    `${rows.filter((r) => r[3] === 'yes').length} of ${rows.length} figures meet their goal.`,
    ...(machine
      ? [
          `The machine (bench/machine.mjs, fixed work, best of 3): Node ${machine.node.toFixed(0)} ms, initdb + start ` +
            `${machine.initdb.toFixed(0)} ms, 100k-row insert + index ${machine.bulk.toFixed(0)} ms, ` +
            `a committed single-row insert ${machine.row.toFixed(0)} µs, a select by key ${machine.read.toFixed(0)} µs. ` +
            "Compare with the README's readings before reading a miss as Confab's.",
        ]
      : []),
  ].join('\n');
}
