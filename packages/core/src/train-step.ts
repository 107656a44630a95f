import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Batch } from './batch.js';
import { NcfError } from './errors.js';
import { allocOutput, memoryKind } from './kernels/memory.js';
import { GATHER_ROWS, SCATTER_ADD_ROWS } from './kernels/rows.js';
import { IdOutOfRangeError } from './lookup.js';
import type { LossContext, ModelVariable, Recommender } from './model.js';
import type { GradientUpdate, Optimizer } from './optimizer.js';
import type { Rng } from './rng.js';

/**
 * One training step: loss under a gradient tape, gradients, optimizer update.
 *
 * **How sparse tables get row gradients.** `ctx.lookup(table, ids)` for a trainable sparse table computes
 * the batch's unique ids `u` and each position's index into them (`inverse`) in JavaScript (O(batch), with a
 * per-table scratch array, so the cost does not grow with the table). It creates a handle tensor `rows` of
 * shape `[|u|, dim]` (allocated, never read) and returns `op(rows)`, a `tf.customGrad` op whose value is
 * `table[ids]` (one gather from the table) and whose gradient w.r.t. `rows` is `unsortedSegmentSum(dy,
 * inverse, |u|)` — the batch gradient summed per unique row. `rows` is pushed onto the list of tensors the
 * gradient is taken with respect to while the loss runs: tfjs's `engine().gradients(f, xs)` reads `xs` only
 * after running `f` (tfjs-core 4.22 `engine.js`, `gradients()`: `getFilteredNodesXToY(activeTape, xs, y)`
 * after `tidy('forward', f)`), and backprop keys gradients by tensor id, so `rows` being disposed with the
 * forward scope is harmless. Its gradient `[|u|, dim]` goes to the optimizer with `rows: u`. The table is
 * never in `xs`, so no dense `[numRows, dim]` gradient is ever made. Compared with `gather(gather(table, u),
 * inverse)` under the stock gradient this saves a gather, two transposes and reshapes per lookup. Several
 * lookups of one table in a step (e.g. positives and negatives) are merged into one update with unique rows.
 * On `wasm`/`cpu` the gather and the segment sum are the kernel layer's `NcfGatherRows`/`NcfScatterAddRows`,
 * which take the indices as attributes, so no index tensors are made.
 *
 * Dense trainable variables get ordinary gradients. Variables without a gradient this step (unused by the
 * loss) are skipped. Every tensor created by the step is disposed; the loss is returned as a number.
 */
export function createTrainStep(
  model: Recommender,
  optimizer: Optimizer,
  rng: Rng,
): (batch: Batch) => number {
  const scratch = new WeakMap<ModelVariable, Int32Array>();

  function scratchFor(table: ModelVariable): Int32Array {
    const rows = table.variable.shape[0] ?? 0;
    let s = scratch.get(table);
    if (s === undefined || s.length !== rows) {
      s = new Int32Array(rows).fill(-1);
      scratch.set(table, s);
    }
    return s;
  }

  return (batch: Batch): number => {
    const backendName = tf.getBackend();
    const fusedRows =
      tf.getKernel(GATHER_ROWS, backendName) !== undefined &&
      tf.getKernel(SCATTER_ADD_ROWS, backendName) !== undefined;
    const dense = model.variables().filter((v) => v.trainable && !v.sparse);
    const xs: Tensor[] = dense.map((v) => v.variable);
    let sentinel: Tensor | undefined;
    if (xs.length === 0) {
      // engine().gradients asserts a non-empty xs before running f; sparse rows are appended during f.
      sentinel = tf.scalar(0);
      xs.push(sentinel);
    }
    const lookups: { table: ModelVariable; unique: Int32Array }[] = [];

    const ctx: LossContext = {
      training: true,
      rng,
      lookup(table: ModelVariable, ids: Int32Array): Tensor2D {
        if (!table.sparse || !table.trainable) {
          // Dense tables get their gradient through xs; frozen tables get none.
          checkRange(table, ids);
          const idx = tf.tensor1d(ids, 'int32');
          const out = tf.gather(table.variable, idx) as Tensor2D;
          idx.dispose();
          return out;
        }
        const seen = scratchFor(table);
        const numRows = seen.length;
        const inverse = new Int32Array(ids.length);
        const uniqueBuf = new Int32Array(ids.length);
        let n = 0;
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]!;
          if (!(id >= 0 && id < numRows)) {
            for (let k = 0; k < n; k++) seen[uniqueBuf[k]!] = -1;
            throw new IdOutOfRangeError(table.name, id, numRows, i);
          }
          if (seen[id]! < 0) {
            seen[id] = n;
            uniqueBuf[n++] = id;
          }
        }
        // Ascending row order: the optimizer's catch-up and update then walk the table (and its state) forward
        // instead of jumping at random, which halves their time at large batches (the gradient sums per row
        // are the same, so results do not change). Then each position's slot in that order.
        const unique = uniqueBuf.slice(0, n).sort();
        for (let k = 0; k < n; k++) seen[unique[k]!] = k;
        for (let i = 0; i < ids.length; i++) inverse[i] = seen[ids[i]!]!;
        for (let k = 0; k < n; k++) seen[unique[k]!] = -1;
        // Lazy Adam with catch-up: bring these rows to the last step first, so the forward pass reads the
        // weights dense Adam would have (the catch-up at update time alone would take this step's gradient at
        // stale weights).
        optimizer.catchUpRows(table, unique);
        const dim = table.variable.shape[1] ?? 1;
        const rows = rowPlaceholder(n, dim);
        xs.push(rows);
        lookups.push({ table, unique });
        const variable = table.variable;
        // value = table[ids] straight from the table (one gather); gradient w.r.t. `rows` = the batch gradient
        // summed per unique row (one UnsortedSegmentSum). `rows` is only a handle on the tape.
        if (fusedRows) {
          // Same op with the indices as kernel attributes: no index tensors to create and dispose.
          const fused = tf.customGrad(() => ({
            value: tf
              .engine()
              .runKernel(GATHER_ROWS, { table: variable }, { ids } as unknown as NamedAttrMap) as Tensor2D,
            gradFunc: (dy: Tensor | Tensor[]) => [
              tf.engine().runKernel(SCATTER_ADD_ROWS, { dy: dy as Tensor }, {
                inverse,
                numSegments: n,
              } as unknown as NamedAttrMap) as Tensor,
            ],
          }));
          return fused(rows) as Tensor2D;
        }
        const op = tf.customGrad(() => {
          const idx = tf.tensor1d(ids, 'int32');
          const value = tf.gather(variable, idx) as Tensor2D;
          idx.dispose();
          return {
            value,
            gradFunc: (dy: Tensor) => {
              const inv = tf.tensor1d(inverse, 'int32');
              const g = tf.unsortedSegmentSum(dy, inv, n);
              inv.dispose();
              return [g];
            },
          };
        });
        return op(rows) as Tensor2D;
      },
    };

    const { value, grads } = tf.engine().gradients(
      () => {
        const loss = model.loss(batch, ctx);
        if (loss.rank !== 0) {
          throw new NcfError(
            'LOSS_NOT_SCALAR',
            `${model.kind}: loss() must return a scalar, got shape [${loss.shape.join(',')}]`,
          );
        }
        return loss;
      },
      xs,
      undefined,
      true,
    );
    try {
      const updates: GradientUpdate[] = [];
      for (let i = 0; i < dense.length; i++) {
        const g = grads[i];
        if (g != null) updates.push({ variable: dense[i]!, grad: g });
      }
      const offset = xs.length - lookups.length;
      const byTable = new Map<ModelVariable, { unique: Int32Array; grad: Tensor }[]>();
      for (let j = 0; j < lookups.length; j++) {
        const g = grads[offset + j];
        if (g == null) continue;
        const l = lookups[j]!;
        let list = byTable.get(l.table);
        if (list === undefined) byTable.set(l.table, (list = []));
        list.push({ unique: l.unique, grad: g });
      }
      const merged: Tensor[] = [];
      for (const [table, list] of byTable) {
        if (list.length === 1) {
          updates.push({ variable: table, grad: list[0]!.grad, rows: list[0]!.unique });
        } else {
          const m = mergeRowGradients(table, list, scratchFor(table));
          merged.push(m.grad);
          updates.push({ variable: table, grad: m.grad, rows: m.rows });
        }
      }
      const lossValue = (value.dataSync() as Float32Array)[0]!;
      optimizer.apply(updates);
      for (const t of merged) t.dispose();
      return lossValue;
    } finally {
      value.dispose();
      for (const g of grads) g?.dispose();
      sentinel?.dispose();
    }
  };
}

/**
 * A `[n, dim]` tensor whose values are never read: the handle the row gradient is taken with respect to.
 * On wasm/cpu its memory is allocated, not filled.
 */
function rowPlaceholder(n: number, dim: number): Tensor {
  const backend = tf.backend();
  if (memoryKind(backend) === undefined) return tf.zeros([n, dim]);
  return tf.engine().makeTensorFromTensorInfo(allocOutput(backend, [n, dim], 'float32'), backend);
}

function checkRange(table: ModelVariable, ids: Int32Array): void {
  const rows = table.variable.shape[0] ?? 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!(id >= 0 && id < rows)) throw new IdOutOfRangeError(table.name, id, rows, i);
  }
}

/** Sums row gradients of several lookups of one table into one gradient over their union of rows. */
function mergeRowGradients(
  table: ModelVariable,
  list: readonly { unique: Int32Array; grad: Tensor }[],
  seen: Int32Array,
): { rows: Int32Array; grad: Tensor } {
  const dim = table.variable.shape[1] ?? 1;
  let total = 0;
  for (const l of list) total += l.unique.length;
  const union = new Int32Array(total);
  let n = 0;
  const slotsOf = list.map((l) => {
    const slots = new Int32Array(l.unique.length);
    for (let i = 0; i < l.unique.length; i++) {
      const id = l.unique[i]!;
      let s = seen[id]!;
      if (s < 0) {
        s = n++;
        seen[id] = s;
        union[s] = id;
      }
      slots[i] = s;
    }
    return slots;
  });
  for (let k = 0; k < n; k++) seen[union[k]!] = -1;
  const acc = new Float32Array(n * dim);
  list.forEach((l, j) => {
    const g = l.grad.dataSync() as Float32Array;
    const slots = slotsOf[j]!;
    for (let i = 0; i < slots.length; i++) {
      const base = slots[i]! * dim;
      const src = i * dim;
      for (let k = 0; k < dim; k++) acc[base + k] = acc[base + k]! + g[src + k]!;
    }
  });
  return { rows: union.slice(0, n), grad: tf.tensor2d(acc, [n, dim]) };
}
