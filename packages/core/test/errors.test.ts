import { describe, expect, it } from 'vitest';
import {
  AbortError,
  BackendUnavailableError,
  ConfigError,
  DataError,
  DownloadError,
  ModelFileError,
  NcfError,
  NewerModelFormatError,
  UnknownIdError,
  UnknownModelKindError,
  throwIfAborted,
} from '../src/index.js';

describe('typed errors', () => {
  it('all derive from NcfError and Error, with their class name and a stable code', () => {
    const cases: [NcfError, string, string][] = [
      [new BackendUnavailableError('wasm', 'no'), 'BackendUnavailableError', 'BACKEND_UNAVAILABLE'],
      [new ConfigError('bad', 'epochs'), 'ConfigError', 'CONFIG'],
      [new DataError('bad'), 'DataError', 'DATA'],
      [new ModelFileError('/m/model.json', 'bad'), 'ModelFileError', 'MODEL_FILE'],
      [new NewerModelFormatError('/m/model.json', 3), 'NewerModelFormatError', 'MODEL_FILE'],
      [new UnknownIdError('user', 'u9'), 'UnknownIdError', 'UNKNOWN_ID'],
      [new UnknownModelKindError('x', []), 'UnknownModelKindError', 'UNKNOWN_MODEL_KIND'],
      [new AbortError(), 'AbortError', 'ABORTED'],
      [new DownloadError('https://x/y.zip', 'HTTP 404'), 'DownloadError', 'DOWNLOAD'],
    ];
    for (const [err, name, code] of cases) {
      expect(err).toBeInstanceOf(NcfError);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe(name);
      expect(err.code).toBe(code);
      expect(err.stack).toContain(name);
    }
  });

  it('say where: file and line, file, url, id, field', () => {
    expect(new DataError('expected 4 columns, got 3', { file: 'u.data', line: 12 }).message).toBe(
      'u.data:12: expected 4 columns, got 3',
    );
    expect(new DataError('empty', { file: 'u.data' }).message).toBe('u.data: empty');
    expect(new ModelFileError('/m/weights.bin', 'truncated').message).toBe('/m/weights.bin: truncated');
    expect(new DownloadError('https://x/y.zip', 'HTTP 404').message).toBe('https://x/y.zip: HTTP 404');
    const id = new UnknownIdError('item', 'i42');
    expect(id.message).toBe('unknown item id "i42"');
    expect([id.kind, id.id]).toEqual(['item', 'i42']);
    expect(new ConfigError('must be > 0', 'lr').field).toBe('lr');
    const newer = new NewerModelFormatError('/m/model.json', 3);
    expect(newer).toBeInstanceOf(ModelFileError);
    expect([newer.found, newer.supported, newer.file]).toEqual([3, 2, '/m/model.json']);
  });

  it('keep their cause', () => {
    const cause = new Error('EACCES');
    expect(new ModelFileError('/m', 'cannot read', { cause }).cause).toBe(cause);
  });

  it('throwIfAborted throws AbortError only once the signal is aborted', () => {
    const c = new AbortController();
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted(c.signal)).not.toThrow();
    c.abort();
    expect(() => throwIfAborted(c.signal)).toThrow(AbortError);
  });
});
