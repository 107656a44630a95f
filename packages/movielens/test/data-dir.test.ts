import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MOVIELENS_VARIANTS, defaultDataDir, isMovieLensVariant } from '../src/index.js';

describe('defaultDataDir', () => {
  it('prefers NCF_DATA_DIR, then XDG_CACHE_HOME/ncf, then ~/.cache/ncf', () => {
    expect(defaultDataDir({ NCF_DATA_DIR: 'rel/dir', XDG_CACHE_HOME: '/x' })).toBe(resolve('rel/dir'));
    expect(defaultDataDir({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'ncf'));
    if (process.platform !== 'win32') expect(defaultDataDir({})).toBe(join(homedir(), '.cache', 'ncf'));
  });
});

describe('MOVIELENS_VARIANTS', () => {
  it('points every variant at its GroupLens archive', () => {
    for (const [name, spec] of Object.entries(MOVIELENS_VARIANTS)) {
      expect(spec.url).toBe(`https://files.grouplens.org/datasets/movielens/${name}.zip`);
      expect(spec.folder).toBe(name);
      if (spec.md5 !== undefined) expect(spec.md5).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(isMovieLensVariant('ml-25m')).toBe(true);
    expect(isMovieLensVariant('ml-10m')).toBe(false);
  });
});
