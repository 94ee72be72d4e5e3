// A write-only Protocol Buffers encoder, just enough for an ONNX model: varint and length-delimited
// fields, packed repeated varints, nested messages. Wire format:
// https://protobuf.dev/programming-guides/encoding/. Not a reader, not a schema compiler: the ONNX
// field numbers live in onnxModel.ts beside the messages that use them.

/** Wire types: 0 varint, 2 length-delimited (strings, bytes, messages, packed arrays). */
const VARINT = 0;
const LEN = 2;

const utf8 = new TextEncoder();

/** One message being built; fields are appended in the order written. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private bytes: number[] = [];
  private size = 0;

  /** An int64/int32/enum/bool field; negative values take ten bytes (two's complement), as protobuf requires. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    this.rawVarint(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, utf8.encode(value));
  }

  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, LEN);
    this.rawVarint(value.length);
    return this.append(value);
  }

  message(field: number, inner: ProtoWriter): this {
    return this.bytesField(field, inner.finish());
  }

  /** A repeated int64 field, packed (the proto3 default encoding). */
  packedVarints(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    return this.bytesField(field, inner.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      this.bytes.push(v > 0n ? low | 0x80 : low);
      this.size++;
    } while (v > 0n);
  }

  private append(b: Uint8Array): this {
    this.flush();
    this.chunks.push(b);
    this.size += b.length;
    return this;
  }

  private flush(): void {
    if (this.bytes.length) {
      this.chunks.push(Uint8Array.from(this.bytes));
      this.bytes = [];
    }
  }
}
