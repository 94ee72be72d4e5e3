// Compiles the WebAssembly SIMD kernel module once per JavaScript realm, the same way in Node,
// the page and a Web Worker: the bytes are embedded (kernelsBinary.gen.ts, written by build.mjs),
// so nothing is fetched or read from disk. Not the kernels themselves (kernels.as) and not memory
// management (wasmKernels.ts). Returns null where WebAssembly or its SIMD extension is missing.
import { KERNELS_WASM_BASE64 } from './kernelsBinary.gen.ts';

let compiled: WebAssembly.Module | null | undefined;
let failure = '';

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The compiled kernel module, compiled synchronously on first use; null when this engine cannot
 * compile it (no WebAssembly, no SIMD, or a page's main thread that refuses synchronous compiles
 * of this size — call loadKernelsModule() there first).
 */
export function kernelsModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  if (typeof WebAssembly !== 'object' || KERNELS_WASM_BASE64 === '') {
    failure =
      KERNELS_WASM_BASE64 === ''
        ? 'the kernels were not built (npm run build:wasm)'
        : 'WebAssembly is not available';
    return (compiled = null);
  }
  try {
    compiled = new WebAssembly.Module(moduleBytes());
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
    return null; // not cached: the asynchronous compile below may still succeed
  }
  return compiled;
}

/** Compiles the module asynchronously (allowed everywhere); resolves to null when unsupported. */
export async function loadKernelsModule(): Promise<WebAssembly.Module | null> {
  if (compiled !== undefined) return compiled;
  if (typeof WebAssembly !== 'object' || KERNELS_WASM_BASE64 === '') return kernelsModule();
  try {
    compiled = await WebAssembly.compile(moduleBytes());
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
