import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingIo, runCli } from '../src/index.js';

describe('ncf program', () => {
  it('lists its commands in --help and exits 0', async () => {
    const io = recordingIo();
    expect(await runCli(['--help'], io)).toBe(0);
    const help = io.stdout.join('\n');
    for (const c of ['demo', 'train', 'evaluate', 'recommend', 'info', 'models']) expect(help).toContain(c);
  });

  it('rejects an unknown option with exit code 2 (usage) and a usage hint', async () => {
    const io = recordingIo();
    expect(await runCli(['demo', '--bogus'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/unknown option '--bogus'/);
  });

  it('rejects an unknown backend before doing any work', async () => {
    const io = recordingIo();
    expect(await runCli(['--backend', 'gpu', 'demo'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/Allowed choices are auto, wasm, cpu, tensorflow/);
  });

  it('names the unknown key of a config file in one line, without a stack', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ncf-cli-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ epoch: 3 }));
    const io = recordingIo();
    expect(await runCli(['demo', '--config', file], io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/'epoch' is not an option of `ncf demo`/);
  });

  it('reports a config file that is not JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ncf-cli-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, '{ epochs: 3 ');
    const io = recordingIo();
    expect(await runCli(['demo', '--config', file], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/is not valid JSON/);
  });
});

describe('the ncf executable', () => {
  it('exits 1 with one line on stderr (no stack) for an @ncf error', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = new URL('../src/bin.ts', import.meta.url).pathname;
    const missing = path.join(tmpdir(), 'ncf-no-such-model-dir');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@ncf/source', bin, ...args], {
        encoding: 'utf8',
      });
    const plain = run('info', missing);
    expect(plain.status).toBe(1);
    expect(plain.stdout).toBe('');
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).toMatch(/^ncf: .*ncf-no-such-model-dir/);
    const usage = run('train', '--epochs', 'many');
    expect(usage.status).toBe(2); // usage errors exit 2, runtime failures 1
    expect(usage.stderr.trim()).toBe('ncf: --epochs must be an integer ≥ 1, got "many"');
  });

  it('adds the stack with --verbose', async () => {
    const io = recordingIo();
    expect(await runCli(['info', path.join(tmpdir(), 'ncf-no-such-model-dir'), '--verbose'], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/^ncf: /);
    expect(io.stderr.slice(1).join('\n')).toMatch(/\n\s+at /);
  });
});
