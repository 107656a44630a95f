import type { UserGroups } from './groups.js';

/**
 * Sums per-user metric values overall and per user group, in float64. `NaN` values (undefined for that user,
 * e.g. adjusted NDCG when all ratings are equal) are left out of that metric's mean and counted apart.
 */
export class MetricAccumulator {
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private readonly units: Float64Array;
  private readonly groupCount: number;

  constructor(
    readonly names: readonly string[],
    readonly groups?: UserGroups,
  ) {
    this.groupCount = 1 + (groups?.names.length ?? 0);
    this.sums = new Float64Array(this.groupCount * names.length);
    this.counts = new Float64Array(this.groupCount * names.length);
    this.units = new Float64Array(this.groupCount);
  }

  /** Adds one evaluated unit (a user or a test row) of user `user` with `values` aligned with `names`. */
  add(user: number, values: ArrayLike<number>): void {
    this.addTo(0, values);
    if (this.groups) {
      const g = this.groups.ofUser[user];
      if (g !== undefined && g >= 0) this.addTo(g + 1, values);
    }
  }

  private addTo(slot: number, values: ArrayLike<number>): void {
    const m = this.names.length;
    this.units[slot] = (this.units[slot] as number) + 1;
    for (let i = 0; i < m; i++) {
      const v = values[i] as number;
      if (v === v) {
        const at = slot * m + i;
        this.sums[at] = (this.sums[at] as number) + v;
        this.counts[at] = (this.counts[at] as number) + 1;
      }
    }
  }

  /** Means overall (`group` omitted) or of group index `group`; metrics with no defined value are NaN. */
  means(group?: number): Record<string, number> {
    const slot = group === undefined ? 0 : group + 1;
    const m = this.names.length;
    const out: Record<string, number> = {};
    for (let i = 0; i < m; i++) {
      const c = this.counts[slot * m + i] as number;
      out[this.names[i] as string] = c > 0 ? (this.sums[slot * m + i] as number) / c : Number.NaN;
    }
    return out;
  }

  /** Units (users or rows) added overall or to group `group`. */
  count(group?: number): number {
    return this.units[group === undefined ? 0 : group + 1] as number;
  }

  /** How many units had a defined value of metric `name` overall. */
  definedCount(name: string): number {
    const i = this.names.indexOf(name);
    return i < 0 ? 0 : (this.counts[i] as number);
  }
}
