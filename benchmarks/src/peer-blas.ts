import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

/**
 * The BLAS the PyTorch peer computes with. Debian's PyTorch is built with `BLAS_INFO=generic`: it calls
 * whatever `libblas.so.3` the alternatives system points at, which with only `python3-torch` installed is
 * netlib's reference BLAS (a 4096×64·64 product at ~4 GFLOP/s, against ~66 with OpenBLAS). A speed ratio
 * against that is no comparison, so suites record this and withhold their ratios on netlib.
 */
export interface PeerBlas {
  /** `openblas`, `mkl`, `blis`, `netlib` (the reference BLAS), or `unknown`. */
  readonly kind: 'openblas' | 'mkl' | 'blis' | 'netlib' | 'unknown';
  /** e.g. `openblas-openmp` (the Debian alternative's directory), or the kind. */
  readonly variant: string;
  /** BLAS/LAPACK/OpenMP libraries mapped into the peer's process after a matrix product, real paths. */
  readonly libraries: readonly string[];
  /** `BLAS_INFO=…` from `torch.__config__.show()`. */
  readonly blasInfo: string;
  /** `torch.get_num_threads()` in a fresh interpreter (the suites set their own). */
  readonly torchThreads: number;
}

const PROBE = [
  'import json, torch',
  'a = torch.randn(256, 256); b = a @ a',
  "maps = open('/proc/self/maps').read().splitlines()",
  "keys = ('blas', 'lapack', 'mkl', 'blis', 'gomp', 'omp')",
  "libs = sorted({l.split()[-1] for l in maps if '/' in l and any(k in l.split()[-1].lower() for k in keys)})",
  "print(json.dumps({'config': torch.__config__.show(), 'libs': libs, 'threads': torch.get_num_threads()}))",
].join('\n');

/** Classifies loaded library paths (real paths) into a BLAS kind and variant. */
export function classifyBlas(libraries: readonly string[]): Pick<PeerBlas, 'kind' | 'variant'> {
  const find = (re: RegExp): string | undefined => libraries.find((l) => re.test(l.toLowerCase()));
  const openblas = find(/openblas/);
  if (openblas !== undefined) {
    const dir = /\/(openblas[^/]*)\/[^/]+$/.exec(openblas)?.[1];
    return { kind: 'openblas', variant: dir ?? 'openblas' };
  }
  if (find(/mkl/) !== undefined) return { kind: 'mkl', variant: 'mkl' };
  if (find(/blis/) !== undefined) return { kind: 'blis', variant: 'blis' };
  // Debian's netlib reference BLAS lives in …/blas/libblas.so.3 (an alternative of libblas.so.3).
  if (find(/\/blas\/libblas\.so/) !== undefined || find(/libblas\.so/) !== undefined) {
    return { kind: 'netlib', variant: 'netlib reference BLAS' };
  }
  return { kind: 'unknown', variant: 'unknown' };
}

/** Asks `python` (with torch) which BLAS it loads; undefined when the probe fails. */
export function detectPeerBlas(python: string): PeerBlas | undefined {
  const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return undefined;
  try {
    const probe = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as {
      config: string;
      libs: string[];
      threads: number;
    };
    const libraries = [
      ...new Set(
        probe.libs.map((l) => {
          try {
            return realpathSync(l);
          } catch {
            return l;
          }
        }),
      ),
    ];
    const blasInfo = /BLAS_INFO=([^,\s]+)/.exec(probe.config)?.[1] ?? 'unknown';
    return { ...classifyBlas(libraries), libraries, blasInfo, torchThreads: probe.threads };
  } catch {
    return undefined;
  }
}

/** Whether a speed ratio against the peer may be printed: never against netlib's reference BLAS. */
export function peerRatioFair(blas: PeerBlas | undefined): boolean {
  return blas !== undefined && blas.kind !== 'netlib';
}

/** A note line for a suite's output: the peer's BLAS, and whether ratios were withheld. */
export function peerBlasNote(blas: PeerBlas | undefined): string {
  if (blas === undefined) return 'peer BLAS: not detected (ratios against the peer withheld)';
  const fair = peerRatioFair(blas);
  return (
    `peer BLAS: ${blas.variant} (torch BLAS_INFO=${blas.blasInfo}; ${blas.libraries.join(', ') || 'no BLAS library mapped'})` +
    (fair ? '' : ' — netlib reference BLAS: ratios against the peer withheld (install OpenBLAS)')
  );
}

/**
 * Removes every `*over_peer*` ratio from `summary` when the peer's BLAS is not a fair reference (netlib, or
 * not detected); returns the keys removed (for a note).
 */
export function withholdPeerRatios(summary: Record<string, number>, blas: PeerBlas | undefined): string[] {
  if (peerRatioFair(blas)) return [];
  const removed = Object.keys(summary).filter((k) => k.includes('over_peer'));
  for (const k of removed) delete summary[k];
  return removed;
}
