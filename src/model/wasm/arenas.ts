// The memory of one wasm kernel set: a list of arenas, each a WebAssembly memory with its own
// instance of the kernel module, handing out 64-byte-aligned views and per-call scratch space.
// A wasm memory never grows once views into it exist (growing detaches every view), so an arena is
// created with room to spare (64 MiB of address space, touched only as used) and a new one is
// opened when it is full. Not the kernels' arithmetic (kernels.as) nor their adapters (wasmKernels.ts).
import type { FloatArray } from './kernelContract.ts';
import type { KernelExports } from './kernelExports.ts';

/** One wasm memory and the kernel instance that works on it. */
export interface Arena {
  x: KernelExports;
  buf: ArrayBuffer;
  f32: Float32Array;
  /** First free byte: alloc() hands out [.., top). */
  top: number;
  /** Scratch pointer of the current call, ≥ top; reset at every call. */
  tmp: number;
  end: number;
}

/** Counters a test or benchmark can read to prove the fast path really ran. */
export interface WasmKernelStats {
  wasmCalls: number;
  /** Calls that copied an operand into the arena first. */
  stagedCalls: number;
  /** Calls that ran on the TypeScript kernels because operands could not be placed. */
  fallbackCalls: number;
  arenas: number;
}

const PAGE_BYTES = 65536;
const ARENA_MIN_BYTES = 64 * 1024 * 1024;
/** 2 GiB: what every engine with wasm32 grants one memory (4 GiB in some, 2 GiB in others). */
const MAX_ARENA_PAGES = 32768;
const ALIGN_BYTES = 64;

const align = (bytes: number): number => Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;

export class Arenas {
  readonly stats: WasmKernelStats = { wasmCalls: 0, stagedCalls: 0, fallbackCalls: 0, arenas: 0 };
  private readonly module: WebAssembly.Module;
  private readonly list: Arena[] = [];
  private cur: Arena | null = null;
  private readonly maxPages: number;

  /** `maxArenaBytes` bounds one wasm memory (capped at 2 GiB). */
  constructor(module: WebAssembly.Module, maxArenaBytes: number) {
    this.module = module;
    this.maxPages = Math.min(MAX_ARENA_PAGES, Math.floor(maxArenaBytes / PAGE_BYTES));
  }

  /** A new arena with room for minBytes (twice that, at least 64 MiB, when the engine allows); null if none fits. */
  private open(minBytes: number): Arena | null {
    const want = Math.min(
      this.maxPages,
      Math.ceil(Math.max(ARENA_MIN_BYTES, 2 * minBytes + PAGE_BYTES) / PAGE_BYTES),
    );
    const need = Math.ceil((minBytes + PAGE_BYTES) / PAGE_BYTES);
    if (need > this.maxPages) return null;
    let memory: WebAssembly.Memory;
    let pages = want;
    try {
      memory = new WebAssembly.Memory({ initial: pages });
    } catch {
      try {
        pages = need;
        memory = new WebAssembly.Memory({ initial: pages });
      } catch {
        return null;
      }
    }
    const instance = new WebAssembly.Instance(this.module, { env: { memory } });
    const x = instance.exports as unknown as KernelExports;
    const top = align(x.heapBase());
    const arena: Arena = {
      x,
      buf: memory.buffer,
      f32: new Float32Array(memory.buffer),
      top,
      tmp: top,
      end: pages * PAGE_BYTES,
    };
    this.list.push(arena);
    this.cur = arena;
    this.stats.arenas++;
    return arena;
  }

  /**
   * A zero-filled view of n floats, valid as long as this object; a buffer too large for any wasm
   * memory is a plain array (its products then run on the fallback kernels).
   */
  alloc(n: number): Float32Array {
    const bytes = align(Math.max(1, n) * 4);
    let ar = this.cur;
    if (!ar || ar.top + bytes > ar.end) ar = this.open(bytes);
    if (!ar) return new Float32Array(n);
    const view = new Float32Array(ar.buf, ar.top, n);
    ar.top += bytes;
    ar.tmp = ar.top;
    return view;
  }

  /** An arena with `bytes` of scratch space free for one call (opening one if needed), or null. */
  withScratch(bytes: number): Arena | null {
    let ar = this.cur;
    if (!ar || ar.top + bytes > ar.end) ar = this.open(bytes);
    if (ar) ar.tmp = ar.top;
    return ar;
  }

  /** The arena holding `arr`, or null for arrays from elsewhere. Resets the call's scratch space. */
  of(arr: FloatArray): Arena | null {
    const cur = this.cur;
    let ar: Arena | null = null;
    if (cur && arr.buffer === cur.buf) ar = cur;
    else for (const a of this.list) if (arr.buffer === a.buf) ar = a;
    if (ar) ar.tmp = ar.top;
    return ar;
  }

  /** Byte address of arr[off..off+n) inside `ar`, copying it into scratch space if needed; −1 if no room. */
  ptr(ar: Arena, arr: FloatArray, off: number, n: number): number {
    if (arr.buffer === ar.buf) return arr.byteOffset + off * 4;
    const bytes = align(n * 4);
    if (ar.tmp + bytes > ar.end) return -1;
    const at = ar.tmp;
    ar.f32.set(arr.subarray(off, off + n), at >> 2);
    ar.tmp += bytes;
    this.stats.stagedCalls++;
    return at;
  }

  /** Byte address of n floats of scratch space in `ar` for this call, or −1 if there is no room. */
  scratch(ar: Arena, n: number): number {
    const bytes = align(n * 4);
    if (ar.tmp + bytes > ar.end) return -1;
    const at = ar.tmp;
    ar.tmp += bytes;
    return at;
  }
}

/** Bytes n floats take in an arena (rounded up to the 64-byte alignment). */
export const arenaBytes = (n: number): number => align(n * 4);
