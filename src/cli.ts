import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from './core/config.js';
import { EmbeddedPostgresError } from './core/db/embedded-placement.js';
import { createLogger } from './core/logger.js';
import { USAGE, UsageError } from './cli-usage.js';

// Only what `confab start` needs before PostgreSQL's spawn is imported here: the rest (the
// database layer, the HTTP stack, the one-off commands) loads once the spawn is under way.
const commands = () => import('./cli-commands.js');

/** Writes an error the commands report on purpose; false for any other. */
async function reported(error: unknown): Promise<boolean> {
  const message = (await commands()).reportedError(error);
  if (message === undefined) return false;
  process.stderr.write(`confab: ${message}\n`);
  return true;
}

async function start(config: Readonly<Config>): Promise<void> {
  const logger = createLogger(config);
  // PostgreSQL starts (another process) while the HTTP stack loads: the two were a warm start's
  // largest parts, one after the other. The stack's compile holds the event loop for one long
  // stretch, so it waits until the postmaster (or initdb) is spawned: begun first, it held up the
  // few file reads before the spawn, and the two still ran one after the other
  let underWay = () => {};
  const started = new Promise<void>((resolve) => (underWay = resolve));
  const log = (message: string) => logger.info(message);
  const opening = (async () => {
    const embedded = config.databaseUrl
      ? undefined
      : await (await import('./core/db/embedded.js')).startConfiguredPostgres(config, {
          log,
          onUnderWay: () => underWay(),
        });
    try {
      const { openDatabase } = await import('./core/db/kysely.js');
      return await openDatabase(config, { log, embedded });
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
  })();
  opening.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  await Promise.race([
    started,
    opening.then(
      () => undefined,
      () => undefined,
    ),
  ]);
  // loaded here so one-off commands do not pay for the HTTP stack
  const loaded = await import('./server.js').catch(async (error: unknown) => {
    await opening.then((database) => database.close()).catch(() => undefined);
    throw error;
  });
  const database = await opening;
  // the URL is logged as soon as the node serves; its background work (jobs, webhook deliveries)
  // is still starting then, and a signal meanwhile stops it gracefully too, once it has started
  const serving = loaded.startServer(config, {
    logger,
    database,
    onListening: (url) => logger.info(`Confab serving on ${url}`),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn('forced exit');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // past the requests' bound, jobs and the database get a little more; then the process goes anyway
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 15_000).unref();
    // a start that failed has closed what it opened and is reported by main()
    const server = await serving.catch(() => undefined);
    if (!server) return;
    await server.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const server = await serving;
  server.database.embedded?.onUnexpectedExit((code) => {
    logger.fatal({ code }, 'embedded PostgreSQL exited unexpectedly; stopping (the next start recovers it)');
    void server.app.close().finally(() => process.exit(1));
  });
}

/** Entry point: `confab <command> ...`. */
export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  try {
    const config = loadConfig();
    switch (command) {
      case 'start':
        return await start(config);
      case 'migrate': {
        const { withDatabase, migrate } = await commands();
        const applied = await withDatabase(config, migrate, { migrateFirst: false });
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
        return;
      }
      case 'platform-app':
        return await (await commands()).platformApp(config, args);
      case 'user':
        return await (await commands()).user(config, args);
      case 'contacts':
        return await (await commands()).contacts(config, args);
      case 'backup':
        return await (await commands()).backup(config, args);
      case 'restore':
        return await (await commands()).restore(config, args);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`confab: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 64;
    } else if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
      process.stderr.write(`confab: ${error.message}\n`);
      process.exitCode = 1;
    } else if (await reported(error)) {
      process.exitCode = 1;
    } else if (
      (error as Error)?.name === 'TypeError' &&
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`confab: ${(error as Error).message}\n\n${USAGE}\n`);
      process.exitCode = 64;
    } else {
      process.stderr.write(`confab: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void main(process.argv.slice(2));
}
