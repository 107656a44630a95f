import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  MissingDataInputError,
  checkDataSpec,
  csrHas,
  datasetInput,
  defineDataSpec,
  formatDataSpec,
  sameDataSpec,
  type Csr,
  type DatasetInfo,
} from '../src/base.js';

const histories: Csr = {
  numRows: 2,
  numCols: 3,
  offsets: Int32Array.of(0, 2, 3),
  indices: Int32Array.of(0, 2, 1),
  values: Float32Array.of(4, 5, 1),
};
const info: DatasetInfo = {
  numUsers: 2,
  numItems: 3,
  itemFeatures: { names: ['a'], rows: 3, dim: 1, values: Float32Array.of(1, 2, 3) },
  userHistories: histories,
  inputs: { tags: { type: 'csr', ...histories } },
};

describe('DataSpec', () => {
  it('defineDataSpec accepts well-formed specs and freezes them', () => {
    const s = defineDataSpec({ batch: 'pointwise', labels: 'rating', inputs: ['itemFeatures'] });
    expect(s).toEqual({ batch: 'pointwise', labels: 'rating', inputs: ['itemFeatures'] });
    expect(Object.isFrozen(s) && Object.isFrozen(s.inputs)).toBe(true);
    expect(defineDataSpec({ batch: 'pairwise', inputs: ['graph'] })).toEqual({
      batch: 'pairwise',
      inputs: ['graph'],
    });
  });

  it('defineDataSpec rejects labels on pairwise, missing labels on pointwise, repeated inputs', () => {
    expect(() => defineDataSpec({ batch: 'pairwise', labels: 'implicit', inputs: [] })).toThrow(
      /labels must be absent for 'pairwise'/,
    );
    expect(() => defineDataSpec({ batch: 'user-history', inputs: [] })).toThrow(ConfigError);
    expect(() => defineDataSpec({ batch: 'graph' as 'pairwise', inputs: [] })).toThrow(
      /batch must be one of pointwise, pairwise, user-history, got "graph"/,
    );
    expect(() =>
      defineDataSpec({ batch: 'pointwise', labels: 'implicit', inputs: ['graph', 'graph'] }),
    ).toThrow(/names an input twice/);
  });

  it('sameDataSpec ignores input order, not labels; formatDataSpec is one line', () => {
    const a = { batch: 'pairwise', inputs: ['graph', 'tags'] } as const;
    expect(sameDataSpec(a, { batch: 'pairwise', inputs: ['tags', 'graph'] })).toBe(true);
    expect(sameDataSpec(a, { batch: 'pairwise', inputs: ['graph'] })).toBe(false);
    expect(
      sameDataSpec(
        { batch: 'pointwise', labels: 'implicit', inputs: [] },
        { batch: 'pointwise', labels: 'rating', inputs: [] },
      ),
    ).toBe(false);
    expect(formatDataSpec(a)).toBe('pairwise batches, inputs graph, tags');
    expect(formatDataSpec({ batch: 'pointwise', labels: 'rating', inputs: [] })).toBe(
      'pointwise batches with rating labels, no inputs',
    );
  });

  it('datasetInput finds well-known and custom inputs by name', () => {
    expect(datasetInput(info, 'itemFeatures')).toMatchObject({ type: 'dense', rows: 3, dim: 1 });
    expect(datasetInput(info, 'userHistories')).toMatchObject({ type: 'csr', numRows: 2, numCols: 3 });
    expect(datasetInput(info, 'tags')).toBe(info.inputs!.tags);
    expect(datasetInput(info, 'graph')).toBeUndefined();
    expect(datasetInput(info, 'toString')).toBeUndefined();
  });

  it('checkDataSpec throws a MissingDataInputError naming the missing input and where it belongs', () => {
    expect(() =>
      checkDataSpec({ batch: 'pairwise', inputs: ['itemFeatures', 'userHistories', 'tags'] }, info),
    ).not.toThrow();
    const err = (() => {
      try {
        checkDataSpec({ batch: 'pairwise', inputs: ['tags', 'graph'] }, info);
      } catch (e) {
        return e as MissingDataInputError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(MissingDataInputError);
    expect(err.input).toBe('graph');
    expect(err.message).toMatch(
      /needs dataset input 'graph' .* DatasetInfo\.graph is absent; .*datasetInfoFor/,
    );
    expect(() => checkDataSpec({ batch: 'pairwise', inputs: ['ocr'] }, info)).toThrow(
      /DatasetInfo\.inputs\['ocr'\] is absent; .* give 'ocr' in extras/,
    );
  });

  it('csrHas binary-searches a sorted row', () => {
    expect(csrHas(histories, 0, 2)).toBe(true);
    expect(csrHas(histories, 0, 1)).toBe(false);
    expect(csrHas(histories, 1, 1)).toBe(true);
  });
});
