import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@ncf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, resolveServeOptions, type NcfServer } from '../src/index.js';
import { capableRegistry, trainTinyModel } from './helpers.js';

let dir: string;
let web: string;
let withWeb: NcfServer;
let without: NcfServer;

beforeAll(async () => {
  dir = await trainTinyModel({ seed: 1 });
  web = mkdtempSync(path.join(tmpdir(), 'ncf-serve-web-'));
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>page</title>');
  withWeb = await createServer({ modelDir: dir, registry: capableRegistry(), logLevel: false, web });
  without = await createServer({ modelDir: dir, registry: capableRegistry(), logLevel: false });
});

afterAll(async () => {
  await withWeb.close();
  await without.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(web, { recursive: true, force: true });
});

describe('web: static files at /', () => {
  it('serves the folder next to the API when asked', async () => {
    const page = await withWeb.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<title>page</title>');
    const api = await withWeb.app.inject({ method: 'GET', url: '/v1/model' });
    expect(api.statusCode).toBe(200);
  });

  it('never leaves the folder, and unknown files are the API 404 body', async () => {
    const up = await withWeb.app.inject({ method: 'GET', url: '/../package.json' });
    expect(up.statusCode).toBe(404);
    const missing = await withWeb.app.inject({ method: 'GET', url: '/nope.js' });
    expect(missing.statusCode).toBe(404);
  });

  it('is off unless given', async () => {
    const page = await without.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(404);
    expect(JSON.parse(page.body)).toMatchObject({ error: 'not_found' });
  });

  it('refuses an empty folder name', () => {
    expect(() => resolveServeOptions({ modelDir: dir, registry: capableRegistry(), web: '' })).toThrow(
      ConfigError,
    );
  });
});
