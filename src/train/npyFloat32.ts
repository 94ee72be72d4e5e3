// A float32 array as a NumPy .npy file (format 1.0: magic, version, a padded header dict, the data
// little-endian in C order), which numpy.load and torch read with no other library. Spec:
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html. Write-only.

/** The .npy bytes of `data` with the given shape (its product must be data.length). */
export function npyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  if (shape.reduce((a, b) => a * b, 1) !== data.length)
    throw new Error(`shape (${shape}) does not hold ${data.length} numbers`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const at = 10 + header.length;
  for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i], true);
  return out;
}
