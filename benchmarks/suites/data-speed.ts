/**
 * data-speed: @ncf/datasets ingestion and sampling speed.
 * - parse + index ML-100K `u.data` from the shared data (tab-separated user, item, rating, timestamp);
 * - parse a generated 25-million-row file in ml-25m's `ratings.csv` format (`userId,movieId,rating,timestamp`
 *   with header), written to a temp dir and deleted afterwards, in a child process so its peak RSS is the
 *   parser's alone: rows/s (wall clock and per CPU second) and peak RSS;
 * - negative sampling (exact uniform exclusion, popularity alias) on ML-1M-sized data (`ml-1m-loo` train when
 *   present, else a synthetic 6,040 × 3,706 set with 1M interactions).
 *
 * Suite flags: `--rows N` (generated rows, default 25,000,000), `--negatives N` (negatives drawn, default
 * 20,000,000), `--keep-file` (keep the generated CSV and print its path).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@ncf/core';
import {
  interactionsFromArrays,
  popularityNegativeSampler,
  readDelimited,
  seenItems,
  uniformNegativeSampler,
  userItemsCsr,
} from '@ncf/datasets';
import type { Interactions } from '@ncf/datasets';
import type { Suite, SuiteContext, SuiteResult } from '../src/suite.js';

const CHILD_ENV = 'NCF_DATA_SPEED_PARSE';

function flag(args: readonly string[], name: string, def: number): number {
  const i = args.indexOf(name);
  if (i < 0) return def;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  return v;
}

/** Writes `rows` lines in ml-25m's ratings.csv format: ids like ml-25m's (162,541 users; item ids ≤ 209,171). */
function generateMl25mCsv(path: string, rows: number): void {
  const fd = openSync(path, 'w');
  const buf = Buffer.allocUnsafe(1 << 22);
  let p = buf.write('userId,movieId,rating,timestamp\n', 0, 'latin1');
  const rng = createRng(25);
  const perUser = Math.max(1, Math.round(rows / 162_541));
  let user = 1;
  const digits = (v: number): void => {
    if (v >= 10) digits(Math.floor(v / 10));
    buf[p++] = 48 + (v % 10);
  };
  for (let k = 0; k < rows; k++) {
    if (p > buf.length - 64) {
      writeSync(fd, buf, 0, p);
      p = 0;
    }
    if (k > 0 && rng.int(perUser) === 0) user++;
    digits(user);
    buf[p++] = 44;
    digits(1 + Math.floor(rng.int(62_423) * 3.35)); // 62,423 distinct items spread up to 209,171 like ml-25m
    buf[p++] = 44;
    const half = 1 + rng.int(10); // 0.5 … 5.0 written as "3.5" / "4.0"
    digits(half >> 1);
    buf[p++] = 46;
    buf[p++] = half & 1 ? 53 : 48;
    buf[p++] = 44;
    digits(789_652_009 + rng.int(785_000_000));
    buf[p++] = 10;
  }
  writeSync(fd, buf, 0, p);
  closeSync(fd);
}

/** Child-process body: parse the file, print rows, seconds, CPU seconds and peak RSS as JSON. */
async function childParse(path: string): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { interactions, report } = await readDelimited(path);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const out = {
    rows: report.rows,
    users: interactions.numUsers,
    items: interactions.numItems,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

if (process.env[CHILD_ENV]) {
  await childParse(process.env[CHILD_ENV]);
  process.exit(0);
}

interface ChildResult {
  rows: number;
  users: number;
  items: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

function runChild(path: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, [CHILD_ENV]: path },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`parse child exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as ChildResult);
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

function ml1mSized(ctx: SuiteContext): Promise<{ x: Interactions; source: string }> {
  const path = join(ctx.sharedData, 'ml-1m-loo', 'ml-1m.train.rating');
  if (existsSync(path)) {
    return readDelimited(path, {
      delimiter: '\t',
      header: false,
      columns: { rating: null, timestamp: null },
    }).then(({ interactions }) => ({ x: interactions, source: 'ml-1m-loo train (994,169 pairs)' }));
  }
  const rng = createRng(1);
  const n = 1_000_000;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    users[k] = rng.int(6040);
    items[k] = Math.floor(3706 * Math.pow(rng.next(), 2));
  }
  return Promise.resolve({
    x: interactionsFromArrays({ users, items }, { numUsers: 6040, numItems: 3706 }),
    source: 'synthetic 6,040 × 3,706, 1M pairs',
  });
}

export const suite: Suite = {
  name: 'data-speed',
  description:
    'parse + index ML-100K; parse a generated 25M-row ml-25m CSV (rows/s, peak RSS); negative sampling rate',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const rows: Record<string, string | number>[] = [];
    const summary: Record<string, number> = {};
    const notes: string[] = [];

    // 1. ML-100K
    const uData = join(ctx.sharedData, 'ml-100k', 'u.data');
    if (existsSync(uData)) {
      let best = Infinity;
      let n = 0;
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        const { interactions } = await readDelimited(uData, { delimiter: '\t' });
        userItemsCsr(interactions);
        best = Math.min(best, (performance.now() - t0) / 1000);
        n = interactions.length;
      }
      rows.push({
        task: 'ml-100k u.data parse + index (best of 5)',
        rows: n,
        seconds: +best.toFixed(4),
        rate: Math.round(n / best),
        unit: 'rows/s',
        peak_rss_mb: '',
      });
      summary['ml100k.rows_per_s'] = Math.round(n / best);
      summary['ml100k.seconds'] = +best.toFixed(4);
    } else notes.push(`ml-100k skipped: ${uData} not found`);

    // 2. generated ml-25m CSV, parsed in a child process
    const nRows = flag(ctx.args, '--rows', 25_000_000);
    const dir = mkdtempSync(join(tmpdir(), 'ncf-data-speed-'));
    const csv = join(dir, 'ratings.csv');
    try {
      ctx.log(`[data-speed] generating ${nRows.toLocaleString()} rows in ${csv}`);
      const g0 = performance.now();
      generateMl25mCsv(csv, nRows);
      ctx.log(
        `[data-speed] generated in ${((performance.now() - g0) / 1000).toFixed(1)} s; parsing in a child process`,
      );
      const load0 = loadavg()[0] ?? 0;
      const res = await runChild(csv);
      const load1 = loadavg()[0] ?? 0;
      rows.push({
        task: `ml-25m-format CSV parse (${res.users} users, ${res.items} items)`,
        rows: res.rows,
        seconds: +res.seconds.toFixed(2),
        rate: Math.round(res.rows / res.seconds),
        unit: 'rows/s (wall)',
        peak_rss_mb: Math.round(res.peakRssMb),
      });
      rows.push({
        task: 'same, per CPU second of the parser',
        rows: res.rows,
        seconds: +res.cpuSeconds.toFixed(2),
        rate: Math.round(res.rows / res.cpuSeconds),
        unit: 'rows/cpu-s',
        peak_rss_mb: '',
      });
      summary['ml25m.rows_per_s'] = Math.round(res.rows / res.seconds);
      summary['ml25m.rows_per_cpu_s'] = Math.round(res.rows / res.cpuSeconds);
      summary['ml25m.peak_rss_mb'] = Math.round(res.peakRssMb);
      notes.push(
        `ml-25m: peak RSS is the child process's maxRSS (whole process, incl. node + tsx ≈ 100 MB); load average ${load0.toFixed(1)} → ${load1.toFixed(1)} on this machine — wall-clock rows/s drop when other jobs share the cores, rows/cpu-s does not`,
      );
      if (ctx.args.includes('--keep-file')) notes.push(`kept ${csv}`);
    } finally {
      if (!ctx.args.includes('--keep-file')) rmSync(dir, { recursive: true, force: true });
    }

    // 3. negative sampling on ML-1M-sized data
    const { x, source } = await ml1mSized(ctx);
    const nNeg = flag(ctx.args, '--negatives', 20_000_000);
    const seen = seenItems(x);
    const users = new Int32Array(nNeg);
    for (let k = 0; k < nNeg; k++) users[k] = x.users[k % x.length]!;
    const out = new Int32Array(nNeg);
    const samplers = [
      ['uniform (exact exclusion)', uniformNegativeSampler(seen)],
      ['popularity alias (exclusion)', popularityNegativeSampler(x)],
    ] as const;
    for (const [name, sampler] of samplers) {
      sampler.sampleMany(users.subarray(0, 100_000), out.subarray(0, 100_000), createRng(0)); // warm-up
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      sampler.sampleMany(users, out, createRng(7));
      const s = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const cs = (c.user + c.system) / 1e6;
      rows.push({
        task: `negatives: ${name}, ${source}`,
        rows: nNeg,
        seconds: +s.toFixed(2),
        rate: Math.round(nNeg / s),
        unit: 'negatives/s',
        peak_rss_mb: '',
      });
      rows.push({
        task: '  same, per CPU second',
        rows: nNeg,
        seconds: +cs.toFixed(2),
        rate: Math.round(nNeg / cs),
        unit: 'negatives/cpu-s',
        peak_rss_mb: '',
      });
      const key = name.startsWith('uniform') ? 'negatives' : 'negatives.popularity';
      summary[`${key}.per_s`] = Math.round(nNeg / s);
      summary[`${key}.per_cpu_s`] = Math.round(nNeg / cs);
    }
    notes.push(
      'targets: ml25m.rows_per_s ≥ 2,000,000; ml25m.peak_rss_mb ≤ 1,500; negatives.per_s ≥ 5,000,000',
    );
    return { rows, summary, notes };
  },
};
