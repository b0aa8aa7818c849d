import { ByteBuffer } from 'flatbuffers';
import {
  BufferField,
  FILE_IDENTIFIER,
  ModelField,
  SubGraphField,
  TensorField,
  TensorType,
} from './schema.js';

/**
 * Reads what the server needs from any .tflite file (whoever wrote it), and makes copies of it
 * with another batch size: the tfjs-tflite runtime cannot resize its inputs, so a model is
 * loaded once per batch bucket from bytes whose activation tensors say that batch size.
 */
export interface TensorInfo {
  name: string;
  shape: number[];
  type: number;
}

export interface TfliteModelInfo {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export class TfliteFormatError extends Error {}

/** A table of the flatbuffer: field lookups through its vtable. */
class Table {
  constructor(
    private readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}

  private fieldOffset(slot: number): number {
    const vtable = this.pos - this.bb.readInt32(this.pos);
    const vtableSize = this.bb.readInt16(vtable);
    const at = 4 + slot * 2;
    return at < vtableSize ? this.bb.readInt16(vtable + at) : 0;
  }

  /** Absolute position of a scalar field, or 0 when absent. */
  scalarPosition(slot: number): number {
    const o = this.fieldOffset(slot);
    return o ? this.pos + o : 0;
  }

  uint32(slot: number, fallback: number): number {
    const p = this.scalarPosition(slot);
    return p ? this.bb.readUint32(p) : fallback;
  }

  int8(slot: number, fallback: number): number {
    const p = this.scalarPosition(slot);
    return p ? this.bb.readInt8(p) : fallback;
  }

  private indirect(slot: number): number {
    const o = this.fieldOffset(slot);
    if (!o) return 0;
    const p = this.pos + o;
    return p + this.bb.readInt32(p);
  }

  table(slot: number): Table | undefined {
    const p = this.indirect(slot);
    return p ? new Table(this.bb, p) : undefined;
  }

  string(slot: number): string {
    const p = this.indirect(slot);
    if (!p) return '';
    const length = this.bb.readInt32(p);
    return new TextDecoder().decode(this.bb.bytes().subarray(p + 4, p + 4 + length));
  }

  /** Position of the first element and the length of a vector field. */
  vector(slot: number): { start: number; length: number } {
    const p = this.indirect(slot);
    return p ? { start: p + 4, length: this.bb.readInt32(p) } : { start: 0, length: 0 };
  }

  tables(slot: number): Table[] {
    const { start, length } = this.vector(slot);
    return Array.from({ length }, (_, i) => {
      const p = start + i * 4;
      return new Table(this.bb, p + this.bb.readInt32(p));
    });
  }

  int32s(slot: number): number[] {
    const { start, length } = this.vector(slot);
    return Array.from({ length }, (_, i) => this.bb.readInt32(start + i * 4));
  }
}

function open(bytes: Uint8Array): { bb: ByteBuffer; model: Table } {
  if (bytes.length < 8) throw new TfliteFormatError('file too short to be a TFLite model');
  const identifier = new TextDecoder().decode(bytes.subarray(4, 8));
  if (identifier !== FILE_IDENTIFIER)
    throw new TfliteFormatError(`not a TFLite model (file identifier ${JSON.stringify(identifier)})`);
  const bb = new ByteBuffer(bytes);
  try {
    return { bb, model: new Table(bb, bb.readInt32(0)) };
  } catch (err) {
    throw new TfliteFormatError(`corrupt TFLite model: ${(err as Error).message}`);
  }
}

function firstSubgraph(model: Table): Table {
  const subgraphs = model.tables(ModelField.subgraphs);
  if (subgraphs.length !== 1) throw new TfliteFormatError(`expected one subgraph, found ${subgraphs.length}`);
  return subgraphs[0]!;
}

export function readModelInfo(bytes: Uint8Array): TfliteModelInfo {
  try {
    const { model } = open(bytes);
    const subgraph = firstSubgraph(model);
    const tensors = subgraph.tables(SubGraphField.tensors);
    const info = (index: number): TensorInfo => {
      const t = tensors[index];
      if (!t) throw new TfliteFormatError(`tensor ${index} does not exist`);
      return {
        name: t.string(TensorField.name),
        shape: t.int32s(TensorField.shape),
        type: t.int8(TensorField.type, TensorType.FLOAT32),
      };
    };
    return {
      inputs: subgraph.int32s(SubGraphField.inputs).map(info),
      outputs: subgraph.int32s(SubGraphField.outputs).map(info),
    };
  } catch (err) {
    if (err instanceof TfliteFormatError) throw err;
    throw new TfliteFormatError(`corrupt TFLite model: ${(err as Error).message}`);
  }
}

/**
 * A copy of the model whose activation tensors (the tensors without constant data) have `batch`
 * as their first dimension, where they had the original batch size.
 */
export function withBatchSize(bytes: Uint8Array, batch: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  const { bb, model } = open(copy);
  const buffers = model.tables(ModelField.buffers);
  const hasData = (index: number) => (buffers[index]?.vector(BufferField.data).length ?? 0) > 0;
  const subgraph = firstSubgraph(model);
  const tensors = subgraph.tables(SubGraphField.tensors);
  const inputShape = tensors[subgraph.int32s(SubGraphField.inputs)[0]!]!.int32s(TensorField.shape);
  const original = inputShape[0];
  for (const tensor of tensors) {
    if (hasData(tensor.uint32(TensorField.buffer, 0))) continue;
    const { start, length } = tensor.vector(TensorField.shape);
    if (length > 0 && bb.readInt32(start) === original) bb.writeInt32(start, batch);
  }
  return copy;
}
