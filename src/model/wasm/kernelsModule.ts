// Compiles the WebAssembly SIMD kernel module once per JavaScript realm, the same way in Node,
// the page and a Web Worker: the bytes are embedded (kernelsBinary.gen.ts, written by build.mjs),
// so nothing is fetched or read from disk. Two builds of the same source: with relaxed-SIMD fused
// multiply-add where the engine validates it, else plain f32x4 SIMD. Not the kernels themselves
// (kernels.as) and not memory management (arenas.ts). Null where neither can run.
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernelsBinary.gen.ts';

export type KernelsVariant = 'relaxed-simd' | 'simd';

let compiled: { module: WebAssembly.Module; variant: KernelsVariant } | null | undefined;
let failure = '';

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The best variant this engine validates, with its bytes; null (and `failure` set) when none. */
function pick(): { bytes: Uint8Array<ArrayBuffer>; variant: KernelsVariant } | null {
  if (typeof WebAssembly !== 'object') {
    failure = 'WebAssembly is not available';
    return null;
  }
  if (KERNELS_WASM_BASE64 === '') {
    failure = 'the kernels were not built (npm run build:wasm)';
    return null;
  }
  const relaxed = decode(KERNELS_RELAXED_WASM_BASE64);
  if (WebAssembly.validate(relaxed)) return { bytes: relaxed, variant: 'relaxed-simd' };
  const simd = decode(KERNELS_WASM_BASE64);
  if (WebAssembly.validate(simd)) return { bytes: simd, variant: 'simd' };
  failure = 'this engine has no WebAssembly SIMD';
  return null;
}

/**
 * The compiled kernel module, compiled synchronously on first use; null when this engine cannot
 * run it (no WebAssembly or no SIMD), or when a page's main thread refuses synchronous compiles —
 * await loadKernelsModule() there first.
 */
export function kernelsModule(): { module: WebAssembly.Module; variant: KernelsVariant } | null {
  if (compiled !== undefined) return compiled;
  const chosen = pick();
  if (!chosen) return (compiled = null);
  try {
    compiled = { module: new WebAssembly.Module(chosen.bytes), variant: chosen.variant };
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
    return null; // not cached: the asynchronous compile below may still succeed
  }
  return compiled;
}

/** Compiles the module asynchronously (allowed everywhere); resolves to null when unsupported. */
export async function loadKernelsModule(): Promise<{
  module: WebAssembly.Module;
  variant: KernelsVariant;
} | null> {
  if (compiled !== undefined) return compiled;
  const chosen = pick();
  if (!chosen) return (compiled = null);
  try {
    compiled = { module: await WebAssembly.compile(chosen.bytes), variant: chosen.variant };
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
    compiled = null;
  }
  return compiled;
}

/** Why the module is unavailable ('' when it compiled). */
export function kernelsModuleFailure(): string {
  return compiled ? '' : failure;
}
