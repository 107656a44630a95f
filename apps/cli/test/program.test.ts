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

  it('rejects an unknown option with exit code 1 and a usage hint', async () => {
    const io = recordingIo();
    expect(await runCli(['demo', '--bogus'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/unknown option '--bogus'/);
  });

  it('rejects an unknown backend before doing any work', async () => {
    const io = recordingIo();
    expect(await runCli(['--backend', 'gpu', 'demo'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/Allowed choices are auto, wasm, cpu, tensorflow/);
  });

  it('names the unknown key of a config file in one line, without a stack', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ncf-cli-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ epoch: 3 }));
    const io = recordingIo();
    expect(await runCli(['demo', '--config', file], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/'epoch' is not an option of `ncf demo`/);
  });

  it('reports a config file that is not JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ncf-cli-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, '{ epochs: 3 ');
    const io = recordingIo();
    expect(await runCli(['demo', '--config', file], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/is not valid JSON/);
  });
});
