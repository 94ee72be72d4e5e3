// The protobuf writer behind the ONNX export produces the wire format of the specification's own
// examples (https://protobuf.dev/programming-guides/encoding/).
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../src/model/onnx/protoWriter.ts';

const bytes = (w: ProtoWriter) => Array.from(w.finish());

describe('ProtoWriter', () => {
  it('writes a varint field as the spec’s example (field 1 = 150 → 08 96 01)', () => {
    expect(bytes(new ProtoWriter().varint(1, 150))).toEqual([0x08, 0x96, 0x01]);
  });

  it('writes a negative int64 as ten bytes of two’s complement', () => {
    expect(bytes(new ProtoWriter().varint(1, -1))).toEqual([0x08, ...Array(9).fill(0xff), 0x01]);
  });

  it('writes a string field as the spec’s example (field 2 = "testing")', () => {
    expect(bytes(new ProtoWriter().string(2, 'testing'))).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
  });

  it('writes a nested message and packed repeated varints with their lengths', () => {
    const inner = new ProtoWriter().varint(1, 150);
    expect(bytes(new ProtoWriter().message(3, inner))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
    expect(bytes(new ProtoWriter().packedVarints(4, [3, 270, 86942]))).toEqual([
      0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05,
    ]);
  });

  it('keeps fields in the order written across byte runs and appended blocks', () => {
    const w = new ProtoWriter().varint(1, 1).bytesField(2, Uint8Array.of(9, 9)).varint(3, 2);
    expect(bytes(w)).toEqual([0x08, 0x01, 0x12, 0x02, 9, 9, 0x18, 0x02]);
  });
});
