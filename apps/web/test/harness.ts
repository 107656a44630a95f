import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI's entry, run from sources with tsx (nothing needs building but the page). */
export const CLI_BIN = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));

/** Runs `ncf <args>` to completion; rejects with its stderr on a non-zero exit. */
export function runNcf(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=@ncf/source', CLI_BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    proc.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`ncf ${args.join(' ')} exited ${code}:\n${err}${out}`)),
    );
  });
}

/** Starts `ncf <args>` (a server) and resolves with the process and the first `http://…` it prints. */
export function startNcf(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=@ncf/source', CLI_BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    const timer = setTimeout(() => reject(new Error(`ncf serve did not start:\n${text}`)), timeoutMs);
    const onData = (c: Buffer): void => {
      text += c.toString('utf8');
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: `${m[1]}/` });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ncf serve exited ${code}:\n${text}`));
    });
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

/** A minimal static file server on 127.0.0.1 (any free port) for an `ncf export-web` folder. */
export function staticServer(root: string): Promise<{ server: Server; url: string }> {
  const base = path.resolve(root);
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(base, rel);
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    }),
  );
}
