import { Errors } from '../errors.js';
import { checkModelInput } from '../serving/subjects.js';

/**
 * Input and output tensors of the Open Inference Protocol for this server's models, which take
 * one row of float32 values per customer and give one row of outputs. Accepted inputs:
 * - one FP32 tensor [N, inputs] (any name; `features` in the metadata);
 * - one FP32 tensor per named input, each [N] or [N, 1], in any order.
 * Values come as `contents.fp32_contents` or as `raw_input_contents` (little-endian float32), never
 * both. Everything a caller controls is checked: datatype, shape, element and byte counts,
 * finite values within float32.
 */
export const FEATURES_TENSOR = 'features';

export interface InputTensor {
  name: string;
  datatype: string;
  /** int64 dimensions, as decimal strings (the loader's longs). */
  shape: readonly (string | number)[];
  fp32: readonly number[] | undefined;
  /** Whether any other contents field than fp32 is set. */
  otherContents: boolean;
}

export interface DecodedRows {
  rows: number;
  /** rows x inputs, row-major, in the model's input order. */
  data: Float32Array;
  /** Whether the values came as raw bytes (the answer then uses raw bytes too). */
  raw: boolean;
}

const MAX_DIMENSION = 2 ** 31;

function dims(t: InputTensor, where: string): number[] {
  return t.shape.map((d, k) => {
    const n = Number(d);
    if (!Number.isInteger(n) || n < 0 || n > MAX_DIMENSION)
      throw Errors.invalidArgument(
        `${where}.shape[${k}] is ${String(d).slice(0, 24)}; dimensions are 0 to 2^31`,
      );
    return n;
  });
}

/** The model's input rows from the request's tensors; INVALID_ARGUMENT saying what was expected. */
export function decodeInputs(
  tensors: readonly InputTensor[],
  raw: readonly Uint8Array[],
  inputNames: readonly string[],
  maxRows: number,
): DecodedRows {
  const width = inputNames.length;
  const expected = `one FP32 tensor [N, ${width}] or one FP32 tensor [N] per input (${inputNames.slice(0, 4).join(', ')}${width > 4 ? ', ...' : ''})`;
  if (tensors.length === 0) throw Errors.invalidArgument(`inputs is empty: give ${expected}`);
  const usesRaw = raw.length > 0;
  if (usesRaw && raw.length !== tensors.length)
    throw Errors.invalidArgument(
      `raw_input_contents has ${raw.length} entries for ${tensors.length} inputs; give one per input`,
    );

  // Which model inputs each tensor carries: all of them ([N, width]) or one ([N] / [N, 1]).
  let rows: number;
  let columns: number[][];
  if (
    tensors.length === 1 &&
    dims(tensors[0]!, 'inputs[0]').length === 2 &&
    !inputNames.includes(tensors[0]!.name)
  ) {
    const [n, w] = dims(tensors[0]!, 'inputs[0]');
    if (w !== width) throw Errors.invalidArgument(`inputs[0] has shape [${n}, ${w}]; expected ${expected}`);
    rows = n!;
    columns = [inputNames.map((_, j) => j)];
  } else {
    if (tensors.length !== width)
      throw Errors.invalidArgument(`${tensors.length} input tensors; expected ${expected}`);
    const seen = new Set<string>();
    rows = -1;
    columns = tensors.map((t, i) => {
      const j = inputNames.indexOf(t.name);
      if (j < 0)
        throw Errors.invalidArgument(
          `inputs[${i}] is named ${JSON.stringify(t.name.slice(0, 64))}; expected ${expected}`,
        );
      if (seen.has(t.name)) throw Errors.invalidArgument(`inputs[${i}] repeats input ${t.name}`);
      seen.add(t.name);
      const d = dims(t, `inputs[${i}]`);
      if (!(d.length === 1 || (d.length === 2 && d[1] === 1)))
        throw Errors.invalidArgument(
          `inputs[${i}] (${t.name}) has shape [${d.join(', ')}]; expected [N] or [N, 1]`,
        );
      if (rows >= 0 && d[0] !== rows)
        throw Errors.invalidArgument(`inputs[${i}] (${t.name}) has ${d[0]} rows; inputs[0] has ${rows}`);
      rows = d[0]!;
      return [j];
    });
  }
  if (rows < 1) throw Errors.invalidArgument('the input tensors have no rows: give 1 or more');
  if (rows > maxRows)
    throw Errors.invalidArgument(`the input tensors have ${rows} rows; at most ${maxRows} per call`);

  const data = new Float32Array(rows * width);
  tensors.forEach((t, i) => {
    if (t.datatype !== 'FP32')
      throw Errors.invalidArgument(
        `inputs[${i}] has datatype ${JSON.stringify(t.datatype.slice(0, 16))}; expected FP32`,
      );
    const cols = columns[i]!;
    const count = rows * cols.length;
    let values: ArrayLike<number>;
    if (usesRaw) {
      if (t.fp32?.length || t.otherContents)
        throw Errors.invalidArgument(
          `inputs[${i}] has contents and raw_input_contents is set; give one or the other`,
        );
      const bytes = raw[i]!;
      if (bytes.byteLength !== count * 4)
        throw Errors.invalidArgument(
          `raw_input_contents[${i}] has ${bytes.byteLength} bytes; expected ${count * 4} (${count} FP32 values)`,
        );
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      values = Float32Array.from({ length: count }, (_, k) => view.getFloat32(k * 4, true));
    } else {
      if (t.otherContents)
        throw Errors.invalidArgument(
          `inputs[${i}] sets contents other than fp32_contents; expected FP32 values`,
        );
      const fp32 = t.fp32 ?? [];
      if (fp32.length !== count)
        throw Errors.invalidArgument(
          `inputs[${i}] has ${fp32.length} fp32_contents; its shape needs ${count}`,
        );
      values = fp32;
    }
    for (let r = 0; r < rows; r++) {
      cols.forEach((j, c) => {
        const v = values[r * cols.length + c]!;
        data[r * width + j] = checkModelInput(v, `inputs[${i}] element ${r * cols.length + c}`);
      });
    }
  });
  return { rows, data, raw: usesRaw };
}

/** Little-endian float32 bytes of values (the raw encoding of an FP32 tensor). */
export function rawFloat32(values: Float32Array): Buffer {
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeFloatLE(values[i]!, i * 4);
  return out;
}
