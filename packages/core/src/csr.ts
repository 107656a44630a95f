/**
 * The one compressed-sparse-row type of @ncf. User histories, the user–item graph, seen items, custom
 * CSR-shaped dataset inputs and the sparse operators of graph models all use it, so a structure built by
 * `@ncf/datasets` goes into a model, a model file or an evaluator without conversion.
 */

/**
 * A `numRows × numCols` sparse matrix in CSR form: row `r`'s entries are
 * `indices[offsets[r] .. offsets[r + 1])` (their columns, sorted ascending within a row) with `values`
 * aligned to them when present (absent means every stored entry is 1).
 */
export interface Csr {
  readonly numRows: number;
  readonly numCols: number;
  /** `numRows + 1` non-decreasing offsets into `indices`, `offsets[0] = 0`. */
  readonly offsets: Int32Array;
  /** Column of each stored entry, sorted within a row. */
  readonly indices: Int32Array;
  /** Value of each stored entry, aligned with `indices`. */
  readonly values?: Float32Array;
}

/** Number of stored entries of row `row` of `csr`. */
export function csrRowLength(csr: Csr, row: number): number {
  return csr.offsets[row + 1]! - csr.offsets[row]!;
}

/** Whether row `row` of `csr` stores column `col` (binary search over the sorted row, O(log row length)). */
export function csrHas(csr: Csr, row: number, col: number): boolean {
  let lo = csr.offsets[row]!;
  let hi = csr.offsets[row + 1]! - 1;
  const a = csr.indices;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid]!;
    if (v === col) return true;
    if (v < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
