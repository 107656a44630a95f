import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceDirAtomically } from '../src/model-files/atomic-dir.js';

const root = mkdtempSync(join(tmpdir(), 'ncf-atomic-stale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Linux pids stay below 2^22, so this one is never running.
const DEAD_PID = 2 ** 30;

describe('replaceDirAtomically and temporary folders of killed saves', () => {
  it("removes a dead process's leftover temporary folder of the same target, and only that", async () => {
    const target = join(root, 'model');
    const stale = join(root, `.model.ncf-tmp-${DEAD_PID}-0a1b2c3d`);
    const live = join(root, `.model.ncf-tmp-${process.ppid}-0a1b2c3d`);
    const other = join(root, `.other.ncf-tmp-${DEAD_PID}-0a1b2c3d`);
    for (const d of [stale, live, other]) {
      mkdirSync(d);
      writeFileSync(join(d, 'weights.bin'), 'half');
    }
    await replaceDirAtomically(target, 'model.json', async (tmp) => {
      writeFileSync(join(tmp, 'model.json'), '{}');
    });
    expect(readFileSync(join(target, 'model.json'), 'utf8')).toBe('{}');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true); // its save may still be running
    expect(existsSync(other)).toBe(true); // another target's
    expect(readdirSync(root).sort()).toEqual(
      ['model', `.model.ncf-tmp-${process.ppid}-0a1b2c3d`, `.other.ncf-tmp-${DEAD_PID}-0a1b2c3d`].sort(),
    );
  });
});
