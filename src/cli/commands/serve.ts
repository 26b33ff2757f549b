// `ingot serve`: the HTTP API and the desk over the books named by --db.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.ts';
import { CliExit, EXIT } from '../output.ts';
import { passphraseInFile } from './correspondence/passphrase.ts';

interface ServeCommandOptions {
  port: string;
  host: string;
  demo?: boolean;
  logLevel: string;
  trustProxy?: boolean;
  metricsTokenFile?: string;
  passphraseFile?: string;
}

/** The metrics token from its file (never from the command line, where `ps` would show it). */
function metricsToken(file: string | undefined): string | undefined {
  if (file === undefined) return process.env.INGOT_METRICS_TOKEN || undefined;
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return token;
  } catch {
    throw new CliExit(EXIT.bad_input, `invalid_input [--metrics-token-file]: cannot read ${file}`);
  }
  throw new CliExit(
    EXIT.bad_input,
    'invalid_input [--metrics-token-file]: a token of 16 characters at least',
  );
}

/** Registers `ingot serve`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (OpenAPI at /docs) and the desk; stops cleanly on SIGTERM or SIGINT')
    .option('--port <n>', 'port to listen on (0: any free port)', process.env.PORT ?? '8080')
    .option('--host <address>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--demo', 'load the 1961 arrangement into empty books and add a demo user for each role')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info')
    .option(
      '--trust-proxy',
      'behind one TLS-terminating proxy: trust its X-Forwarded-* (the client is the address it appends); cookies become Secure',
    )
    .option('--passphrase-file <file>', 'the key passphrase, to sign letters written in the desk (else env)')
    .option(
      '--metrics-token-file <file>',
      'a file holding the token that reads /metrics as a Bearer token (or INGOT_METRICS_TOKEN)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ingot --db books.db serve --port 8080\n  ingot --db postgres://ingot@db/ingot serve',
    )
    .action(async (options: ServeCommandOptions, command: Command) => {
      const port = Number.parseInt(options.port, 10);
      if (!/^[0-9]{1,5}$/.test(options.port) || port > 65535) {
        throw new CliExit(EXIT.bad_input, `invalid_input [--port]: "${options.port}" is not a port number`);
      }
      const { db } = command.optsWithGlobals<GlobalOptions>();
      // The server's modules (Fastify, OpenAPI, metrics) load only for `serve`, keeping the CLI quick.
      const { serve, stopOnSignals } = await import('../../server/serve.ts');
      const { app, stop } = await serve({
        db,
        port,
        host: options.host,
        demo: options.demo === true,
        log_level: options.logLevel,
        trust_proxy: options.trustProxy === true,
        metrics_token: metricsToken(options.metricsTokenFile),
        key_passphrase: options.passphraseFile ? passphraseInFile(options.passphraseFile) : undefined,
        say: (line) => process.stderr.write(`${line}\n`),
      });
      await stopOnSignals(app, stop);
    });
}
