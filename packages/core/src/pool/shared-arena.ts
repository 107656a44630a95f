/** The parts of a (shared) `WebAssembly.Memory` the arena uses. */
export interface GrowableMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

const PAGE = 65536;
/** Allocation granule: 64 bytes, a cache line, so two threads' rows of one output rarely share a line. */
const ALIGN = 64;

/**
 * A first-fit allocator over a growable memory from byte `start` on, with coalescing of freed blocks; the
 * memory grows (whole pages) when no free block fits. Offsets stay valid across growth (a shared memory's
 * bytes never move), but `memory.buffer` must be re-read after an allocation to view the new bytes.
 */
export class SharedArena {
  readonly #memory: GrowableMemory;
  /** Free blocks, sorted by offset, never adjacent (merged). */
  readonly #free: { offset: number; size: number }[] = [];
  readonly #sizes = new Map<number, number>();
  #end: number;

  constructor(memory: GrowableMemory, start: number) {
    this.#memory = memory;
    this.#end = Math.ceil(start / ALIGN) * ALIGN;
    const have = memory.buffer.byteLength;
    if (have > this.#end) this.#free.push({ offset: this.#end, size: have - this.#end });
    this.#end = have;
  }

  /** Bytes handed out and not freed. */
  get allocatedBytes(): number {
    let total = 0;
    for (const s of this.#sizes.values()) total += s;
    return total;
  }

  /** Returns the offset of `bytes` (rounded up to 64) fresh bytes; grows the memory if needed. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.#free.length; i++) {
      const block = this.#free[i]!;
      if (block.size < size) continue;
      const offset = block.offset;
      if (block.size === size) this.#free.splice(i, 1);
      else {
        block.offset += size;
        block.size -= size;
      }
      this.#sizes.set(offset, size);
      return offset;
    }
    const last = this.#free[this.#free.length - 1];
    const tail = last !== undefined && last.offset + last.size === this.#end ? last.size : 0;
    const pages = Math.ceil((size - tail) / PAGE);
    this.#memory.grow(pages);
    this.#release(this.#end, pages * PAGE);
    this.#end += pages * PAGE;
    return this.alloc(bytes);
  }

  /** Returns a block from {@link SharedArena.alloc}; unknown offsets throw (a double free is a bug). */
  free(offset: number): void {
    const size = this.#sizes.get(offset);
    if (size === undefined) throw new Error(`@ncf compute pool: free of unallocated offset ${offset}`);
    this.#sizes.delete(offset);
    this.#release(offset, size);
  }

  #release(offset: number, size: number): void {
    const free = this.#free;
    let i = 0;
    while (i < free.length && free[i]!.offset < offset) i++;
    free.splice(i, 0, { offset, size });
    const next = free[i + 1];
    if (next !== undefined && offset + size === next.offset) {
      free[i]!.size += next.size;
      free.splice(i + 1, 1);
    }
    const prev = free[i - 1];
    if (prev !== undefined && prev.offset + prev.size === offset) {
      prev.size += free[i]!.size;
      free.splice(i, 1);
    }
  }
}
