import type { IdMapJson } from '@ncf/core/base';
import { DataError, UnknownIdError } from '@ncf/core/base';

/** An external id: a string or a finite number. */
export type ExternalId = string | number;

/**
 * A bijection between external ids (strings or numbers, one type per map) and dense int32 indices
 * `0..size-1`. Dense index `i` is the `i`-th id added. Serialisable into model files via {@link IdMap.toJSON}
 * (core's `IdMapJson`), so a saved model can map ids without the dataset.
 *
 * A class because it has a lifetime: parsers and feature readers grow it as they meet new ids.
 */
export class IdMap {
  private readonly idList: ExternalId[] = [];
  private readonly lookup = new Map<ExternalId, number>();
  private idType: 'string' | 'number' | undefined;
  /** Which kind of entity the map indexes, used in error messages. */
  readonly kind: 'user' | 'item';

  constructor(kind: 'user' | 'item' = 'item', ids: Iterable<ExternalId> = []) {
    this.kind = kind;
    for (const id of ids) this.add(id);
  }

  /** A map whose ids are the numbers `0..n-1` (identity), for data that is already dense. */
  static identity(n: number, kind: 'user' | 'item' = 'item'): IdMap {
    const map = new IdMap(kind);
    for (let i = 0; i < n; i++) map.add(i);
    return map;
  }

  /** Rebuilds a map from {@link IdMap.toJSON}'s output. Throws {@link DataError} on mixed or duplicate ids. */
  static fromJSON(json: IdMapJson, kind: 'user' | 'item' = 'item'): IdMap {
    if (json.type !== 'string' && json.type !== 'number') {
      throw new DataError(`id map type must be 'string' or 'number', got ${JSON.stringify(json.type)}`);
    }
    const map = new IdMap(kind);
    map.idType = json.type;
    for (let i = 0; i < json.ids.length; i++) {
      const id = json.ids[i] as ExternalId;
      if (typeof id !== json.type) {
        throw new DataError(`id map of type '${json.type}' holds ${JSON.stringify(id)} at index ${i}`);
      }
      if (map.lookup.has(id)) throw new DataError(`id map holds ${JSON.stringify(id)} twice (index ${i})`);
      map.add(id);
    }
    return map;
  }

  /** Number of ids (= number of dense indices). */
  get size(): number {
    return this.idList.length;
  }

  /** `'string'` or `'number'`; `'number'` for an empty map. */
  get type(): 'string' | 'number' {
    return this.idType ?? 'number';
  }

  /** Dense index of `id`, or -1 when unknown. */
  indexOf(id: ExternalId): number {
    return this.lookup.get(id) ?? -1;
  }

  /** Dense index of `id`; throws core's {@link UnknownIdError} when unknown. */
  index(id: ExternalId): number {
    const i = this.lookup.get(id);
    if (i === undefined) throw new UnknownIdError(this.kind, id);
    return i;
  }

  /** Whether `id` is known. */
  has(id: ExternalId): boolean {
    return this.lookup.has(id);
  }

  /** External id of dense index `index`; throws {@link DataError} when out of range. */
  id(index: number): ExternalId {
    const id = this.idList[index];
    if (id === undefined)
      throw new DataError(`${this.kind} index ${index} is out of range [0, ${this.size})`);
    return id;
  }

  /** Dense index of `id`, adding it at the end when new. Throws {@link DataError} when the id type differs. */
  add(id: ExternalId): number {
    const known = this.lookup.get(id);
    if (known !== undefined) return known;
    const t = typeof id;
    if (t !== 'string' && t !== 'number') {
      throw new DataError(`${this.kind} ids must be strings or numbers, got ${t}`);
    }
    if (t === 'number' && !Number.isFinite(id)) {
      throw new DataError(`${this.kind} id must be a finite number, got ${String(id)}`);
    }
    if (this.idType === undefined) this.idType = t as 'string' | 'number';
    else if (this.idType !== t) {
      throw new DataError(
        `${this.kind} id ${JSON.stringify(id)} is a ${t} but this id map holds ${this.idType}s`,
      );
    }
    const index = this.idList.length;
    this.idList.push(id);
    this.lookup.set(id, index);
    return index;
  }

  /** All ids in dense-index order (a copy). */
  ids(): ExternalId[] {
    return this.idList.slice();
  }

  /** Serialisable form (core's `IdMapJson`). */
  toJSON(): IdMapJson {
    return { type: this.type, ids: this.idList.slice() };
  }

  /** An independent copy. */
  clone(): IdMap {
    const map = new IdMap(this.kind);
    map.idType = this.idType;
    for (const id of this.idList) map.add(id);
    return map;
  }
}
