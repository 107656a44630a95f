import path from 'node:path';
import { ConfigError } from '@ncf/core';
import { createServer, SERVE_DEFAULTS, type ServeOptions } from '@ncf/serve';
import type { CliIo } from '../cli-io.js';
import { startBackend, type GlobalOptions } from '../global-options.js';
import { toChoice, toNumber, toOptionalNumber, toText } from '../option-values.js';
import { cliRegistry } from '../wiring/registry.js';
import { cliCatalogLoader } from '../wiring/serve-catalog.js';

/** Options of `ncf serve`. */
export interface ServeCommandOptions extends GlobalOptions {
  readonly modelDir?: unknown;
  readonly host?: unknown;
  readonly port?: unknown;
  readonly data?: unknown;
  readonly cors?: unknown;
  readonly maxK?: unknown;
  readonly logLevel?: unknown;
}

const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * `ncf serve --model-dir <dir>`: the HTTP API of @ncf/serve over a saved model, on 127.0.0.1:8080 by default.
 * Loads the model first (a bad model file is a one-line error and exit 1). SIGHUP reloads the model directory
 * (a bad new model leaves the old one serving); SIGTERM or Ctrl-C stops accepting connections, finishes
 * in-flight requests, disposes the model and returns (exit 0 on SIGTERM).
 */
export async function runServe(options: ServeCommandOptions, io: CliIo): Promise<void> {
  const modelDir = path.resolve(toText(options.modelDir, 'modelDir'));
  const dataFlag = options.data === undefined ? undefined : toText(options.data, 'data');
  const maxK = toOptionalNumber(options.maxK, 'maxK', { integer: true, min: 1 });
  const level = toChoice(options.logLevel ?? 'info', 'logLevel', LOG_LEVELS);
  const corsText = options.cors === undefined ? undefined : toText(options.cors, 'cors');
  await startBackend(options, io);
  const serveOptions: ServeOptions = {
    modelDir,
    registry: cliRegistry(),
    loadCatalog: cliCatalogLoader(dataFlag, io),
    host: options.host === undefined ? SERVE_DEFAULTS.host : toText(options.host, 'host'),
    port: toNumber(options.port ?? SERVE_DEFAULTS.port, 'port', { integer: true, min: 0, max: 65535 }),
    logLevel: level === 'silent' ? false : level,
    ...(maxK !== undefined ? { maxK } : {}),
    ...(corsText !== undefined
      ? { cors: corsText === '*' ? true : corsText.split(',').map((s) => s.trim()) }
      : {}),
  };
  const server = await createServer(serveOptions);
  let address: string;
  try {
    address = await server.listen();
  } catch (err) {
    await server.close();
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new ConfigError(
        `cannot listen on ${serveOptions.host}:${serveOptions.port} (${code}); pick another --host/--port (--port 0: any free port)`,
        'port',
        { cause: err },
      );
    }
    throw err;
  }
  const served = server.holder.current!;
  io.out(`serving ${served.document.kind} (version ${served.version}) from ${modelDir} on ${address}`);

  await new Promise<void>((resolve) => {
    const stop = (why: string): void => {
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      io.signal?.removeEventListener('abort', onAbort);
      io.err(`ncf serve: ${why}: finishing in-flight requests`);
      server.close().then(resolve, (err: unknown) => {
        io.err(`ncf serve: error while closing: ${String(err)}`);
        resolve();
      });
    };
    const onTerm = (): void => stop('SIGTERM');
    const onAbort = (): void => stop('interrupted');
    const onHup = (): void => {
      server.reload().then(
        (s) => io.err(`ncf serve: reloaded ${s.document.kind} (version ${s.version})`),
        (err: unknown) =>
          io.err(`ncf serve: reload failed, the previous model keeps serving: ${(err as Error).message}`),
      );
    };
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    io.signal?.addEventListener('abort', onAbort, { once: true });
  });
  io.out('ncf serve: stopped');
}
