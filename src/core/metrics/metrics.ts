import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the node's parts report at scrape time: read when Prometheus asks, nothing kept per event. */
export interface MetricSources {
  /** The pg pool under the database handle. */
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  /** /cable on this node. */
  cable?: { connectionCount: number; subscriptionCount: number; deliveredEvents: number };
  /** Jobs waiting to run now, by task: how many, and how long the oldest has waited (seconds). */
  jobQueue?: () => Promise<{ task: string; depth: number; lagSeconds: number }[]>;
}

/** Outcomes of one webhook try: sent, retried later, or given up. */
export type WebhookOutcome = 'succeeded' | 'retried' | 'failed';

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One node's Prometheus metrics (prom-client), in a registry of its own: a test process runs
 * several servers, each with its own numbers. HTTP timings are observed per request through a
 * child kept per (method, route, status), so a request costs one Map lookup and one observe;
 * everything else is read from its owner when scraped.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #http: Histogram<'method' | 'route' | 'status_code'>;
  readonly #httpChildren = new Map<string, { observe(value: number): void }>();
  readonly #webhookTries: Counter<'outcome'>;
  readonly #webhookSeconds: Histogram<'outcome'>;
  #sources: MetricSources = {};

  constructor() {
    const registers = [this.registry];
    // event-loop lag (nodejs_eventloop_lag_*), process memory and CPU, heap, handles
    collectDefaultMetrics({ register: this.registry });
    this.#http = new Histogram({
      name: 'confab_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern, method and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: SECONDS,
      registers,
    });
    this.#webhookTries = new Counter({
      name: 'confab_webhook_deliveries_total',
      help: 'Webhook delivery tries by outcome (succeeded, retried, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.#webhookSeconds = new Histogram({
      name: 'confab_webhook_delivery_duration_seconds',
      help: "Time a webhook try took, until the receiver's answer or the error",
      labelNames: ['outcome'],
      buckets: SECONDS,
      registers,
    });
    const sources = () => this.#sources;
    const poolGauge = (name: string, help: string, read: (p: NonNullable<MetricSources['pool']>) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const pool = sources().pool;
          if (pool) this.set(read(pool));
        },
      });
    poolGauge('confab_db_pool_connections', 'PostgreSQL connections open in the pool', (p) => p.totalCount);
    poolGauge('confab_db_pool_idle_connections', 'Pool connections open and idle', (p) => p.idleCount);
    poolGauge('confab_db_pool_waiting_requests', 'Queries waiting for a pool connection', (p) => p.waitingCount);
    new Gauge({
      name: 'confab_cable_connections',
      help: '/cable WebSocket connections on this node',
      registers,
      collect() {
        const cable = sources().cable;
        if (cable) this.set(cable.connectionCount);
      },
    });
    new Gauge({
      name: 'confab_cable_subscriptions',
      help: '/cable channel subscriptions on this node',
      registers,
      collect() {
        const cable = sources().cable;
        if (cable) this.set(cable.subscriptionCount);
      },
    });
    new Counter({
      name: 'confab_cable_broadcasts_total',
      help: "Realtime events this node has broadcast to its /cable sockets (its own and other nodes')",
      registers,
      collect() {
        const cable = sources().cable;
        if (!cable) return;
        this.reset();
        this.inc(cable.deliveredEvents);
      },
    });
    const depth = new Gauge({
      name: 'confab_job_queue_depth',
      help: 'Durable jobs due to run and not yet taken, by task',
      labelNames: ['task'],
      registers,
    });
    new Gauge({
      name: 'confab_job_queue_lag_seconds',
      help: 'How long the oldest due job of each task has waited to be taken',
      labelNames: ['task'],
      registers,
      async collect() {
        const read = sources().jobQueue;
        if (!read) return;
        this.reset();
        depth.reset();
        // a database that does not answer leaves these two out of the scrape, not the others
        const rows = await read().catch(() => []);
        for (const row of rows) {
          this.set({ task: row.task }, row.lagSeconds);
          depth.set({ task: row.task }, row.depth);
        }
      },
    });
  }

  /** Attaches what is read at scrape time (the server calls this once its parts exist). */
  observe(sources: MetricSources): void {
    this.#sources = { ...this.#sources, ...sources };
  }

  /** One HTTP request: `route` is Fastify's pattern (never the raw URL, whose ids would explode the labels). */
  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let child = this.#httpChildren.get(key);
    if (!child) {
      child = this.#http.labels(method, route, String(statusCode));
      this.#httpChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** One webhook try and how long it took. */
  webhookTry(outcome: WebhookOutcome, seconds: number): void {
    this.#webhookTries.inc({ outcome });
    this.#webhookSeconds.observe({ outcome }, seconds);
  }

  /** The text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
