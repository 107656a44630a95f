import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingIo, runCli } from '../src/index.js';

// End to end: `ncf serve` as a subprocess on an ephemeral 127.0.0.1 port, nothing built (sources via tsx).
const root = mkdtempSync(path.join(tmpdir(), 'ncf-cli-serve-'));
const modelDir = path.join(root, 'model');
const DATA = 'synthetic:40x80:5';
const previousDataDir = process.env.NCF_DATA_DIR;
let child: ChildProcess | undefined;

async function train(seed: string): Promise<void> {
  const io = recordingIo();
  const argv = [
    '--backend',
    'cpu',
    'train',
    '--data',
    DATA,
    '--model',
    'mf',
    '--epochs',
    '1',
    '--seed',
    seed,
  ];
  const code = await runCli([...argv, '--out', modelDir, '--force'], io);
  expect(io.stderr.filter((l) => l.startsWith('ncf:'))).toEqual([]);
  expect(code).toBe(0);
}

/** Resolves with the first match of `re` in the stream's text so far. */
function waitFor(stream: NodeJS.ReadableStream, re: RegExp, timeoutMs = 150_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${re}; got:\n${text}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const m = re.exec(text);
      if (m) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(m);
      }
    };
    stream.on('data', onData);
  });
}

beforeAll(async () => {
  process.env.NCF_DATA_DIR = path.join(root, 'cache');
  await train('1');
}, 120_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (previousDataDir === undefined) delete process.env.NCF_DATA_DIR;
  else process.env.NCF_DATA_DIR = previousDataDir;
  rmSync(root, { recursive: true, force: true });
});

describe('ncf serve (subprocess)', () => {
  it('serves, hot-reloads a second model on SIGHUP, and exits 0 on SIGTERM', async () => {
    const bin = new URL('../src/bin.ts', import.meta.url).pathname;
    const args = ['--backend', 'cpu', 'serve', '--model-dir', modelDir, '--port', '0', '--log-level', 'warn'];
    const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=@ncf/source', bin, ...args], {
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    let stderr = '';
    proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));

    const [, version1, base] = (await waitFor(
      proc.stdout!,
      /version (\w+)\) from .* on (http:\/\/127\.0\.0\.1:\d+)/,
    ))!;
    const json = async (url: string, init?: RequestInit) => {
      const r = await fetch(`${base}${url}`, init);
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    expect(await json('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const recs = await json('/v1/users/1/recommendations?k=3');
    expect(recs.status).toBe(200);
    expect(recs.body).toMatchObject({
      model: { kind: 'ncf/mf', version: version1 },
      user: 1,
      excludedSeen: true,
    });
    const items = recs.body.items as { item: number; title?: string }[];
    expect(items).toHaveLength(3);
    // Titles come from the synthetic MovieLens data the model recorded.
    expect(items[0]!.title).toMatch(/\(\d{4}\)$/);
    const bad = await json('/v1/users/99999/recommendations');
    expect(bad).toMatchObject({
      status: 404,
      body: { error: 'unknown_id', field: 'params.id', value: 99999 },
    });

    await train('2');
    const reloaded = waitFor(proc.stderr!, /reloaded ncf\/mf \(version (\w+)\)/);
    proc.kill('SIGHUP');
    const [, version2] = (await reloaded)!;
    expect(version2).not.toBe(version1);
    expect(((await json('/readyz')).body.model as { version: string }).version).toBe(version2);

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('SIGTERM: finishing in-flight requests');
  }, 180_000); // a subprocess that transpiles the sources and starts tfjs: slow on a busy machine
});
