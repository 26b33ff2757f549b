// Running the server as a process: open the books, listen, log, and on SIGTERM or SIGINT stop
// taking requests, finish those under way, close the books, exit.
import { unlockBooks } from '../service/correspondence/keyring.ts';
import { type Ingot, ingotOver } from '../service/kernel/context.ts';
import { openStore } from '../store/open.ts';
import { buildServer } from './app.ts';
import type { Api } from './context.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './demo.ts';
import { SERVED_LIMITS } from './limits.ts';
import { createLogger } from './logger.ts';

export interface ServeOptions {
  /** An SQLite file or a postgres:// URL. */
  readonly db: string;
  readonly port: number;
  readonly host: string;
  /** Load the 1961 arrangement into empty books and add the demo users. */
  readonly demo: boolean;
  readonly log_level: string;
  /** Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (see ServerOptions). */
  readonly trust_proxy?: boolean;
  /** The token that reads /metrics without signing in. */
  readonly metrics_token?: string | undefined;
  /** The passphrase of the bank's private keys, to sign letters written in the desk. */
  readonly key_passphrase?: string | undefined;
  /** Where to print the greeting (the URL, the demo sign-ins). */
  readonly say: (line: string) => void;
}

/** How long shutdown waits for requests under way before giving up on them. */
export const SHUTDOWN_GRACE_MS = 30_000;

/** Starts the server; resolves once it listens, with a function that stops it. */
export async function serve(
  options: ServeOptions,
): Promise<{ app: Api; url: string; stop: () => Promise<void> }> {
  const store = await openStore(options.db);
  const ingot = ingotOver(store, 'server');
  if (options.demo) {
    const { loaded } = await seedDemo(ingot, () => undefined);
    options.say(loaded ? `loaded the 1961 arrangement into ${store.location}` : `books: ${store.location}`);
  }
  await unlockBooksAtStart(ingot, options);
  const logger = createLogger(options.log_level);
  const app = buildServer({
    ingot,
    logger,
    processMetrics: true,
    trustProxy: options.trust_proxy ?? false,
    metricsToken: options.metrics_token,
    keyPassphrase: options.key_passphrase,
    limits: SERVED_LIMITS,
  });
  const address = await app.listen({ port: options.port, host: options.host });
  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  options.say(`Ingot is at ${url}  (API: ${url}/docs, metrics: ${url}/metrics)`);
  if (options.demo) {
    options.say(`demo sign-ins, password "${DEMO_PASSWORD}":`);
    for (const user of DEMO_USERS) options.say(`  ${user.id.padEnd(19)} ${user.role} of ${user.party_id}`);
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      await store.close();
    })();
    return stopping;
  };
  return { app, url, stop };
}

/**
 * Unlocks the books key with the key passphrase the server was given (--passphrase-file, else
 * INGOT_KEY_PASSPHRASE), so cleared users open letters; without it, says what will be refused.
 */
async function unlockBooksAtStart(ingot: Ingot, options: ServeOptions): Promise<void> {
  const given = options.key_passphrase ?? process.env.INGOT_KEY_PASSPHRASE ?? '';
  const unlocked = await unlockBooks(ingot, () => given);
  if (!unlocked.ok) options.say(`letters can be neither opened nor written: ${unlocked.message}`);
}

/** Stops the server on SIGTERM or SIGINT, finishing the requests under way; a second signal forces. */
export function stopOnSignals(app: Api, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        app.log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      signalled = true;
      app.log.info({ signal }, 'shutting down: finishing the requests under way');
      const force = setTimeout(() => {
        app.log.error('requests still under way after the grace period; exiting');
        process.exit(1);
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      stop().then(
        () => {
          app.log.info('stopped');
          resolve();
        },
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
