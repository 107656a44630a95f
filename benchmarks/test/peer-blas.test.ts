import { describe, expect, it } from 'vitest';
import { classifyBlas, peerBlasNote, peerRatioFair } from '../src/peer-blas.js';
import type { PeerBlas } from '../src/peer-blas.js';

describe('peer BLAS', () => {
  it('classifies the libraries a torch process mapped', () => {
    const lib = 'usr/lib/x86_64-linux-gnu';
    expect(classifyBlas([`/${lib}/libgomp.so.1.0.0`, `/${lib}/openblas-openmp/libblas.so.3`])).toEqual({
      kind: 'openblas',
      variant: 'openblas-openmp',
    });
    expect(classifyBlas([`/${lib}/blas/libblas.so.3.11.0`])).toEqual({
      kind: 'netlib',
      variant: 'netlib reference BLAS',
    });
    expect(classifyBlas(['/opt/intel/libmkl_rt.so.2'])).toMatchObject({ kind: 'mkl' });
    expect(classifyBlas([])).toMatchObject({ kind: 'unknown' });
  });

  it('withholds ratios against netlib and when the BLAS is unknown, and says so', () => {
    const netlib: PeerBlas = {
      kind: 'netlib',
      variant: 'netlib reference BLAS',
      libraries: ['/x/blas/libblas.so.3'],
      blasInfo: 'generic',
      torchThreads: 2,
    };
    expect(peerRatioFair(netlib)).toBe(false);
    expect(peerRatioFair(undefined)).toBe(false);
    expect(peerRatioFair({ ...netlib, kind: 'openblas', variant: 'openblas-openmp' })).toBe(true);
    expect(peerBlasNote(netlib)).toMatch(/ratios against the peer withheld/);
    expect(peerBlasNote({ ...netlib, kind: 'openblas', variant: 'openblas-openmp' })).not.toMatch(/withheld/);
  });
});
