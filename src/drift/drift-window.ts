import type { ModelManifest } from '../models/manifest.js';
import { driftValue } from './drift-value.js';
import { binOf, populationStabilityIndex, type ReferenceBins } from './reference.js';

/** Chunks of a window: it slides by a tenth of its rows at a time. */
const CHUNKS = 10;

export interface WindowPsi {
  /** Rows the window holds now. */
  rows: number;
  /** One per input, in input order. */
  inputs: number[];
  output: number;
}

/**
 * The served rows of one model version counted into its reference bins, over the last
 * `windowRows` rows or so: counts are kept in ten chunks and the oldest chunk is cleared when
 * the newest is full, so the window holds between 90% and 100% of `windowRows` once full. Memory
 * is the bins' counts, whatever the traffic.
 */
export class DriftWindow {
  private readonly distributions: ReferenceBins[];
  /** Where each distribution's bins start in a chunk's counts. */
  private readonly offsets: number[];
  private readonly chunks: Uint32Array[];
  private readonly chunkRows: number[];
  private readonly chunkSize: number;
  private current = 0;

  constructor(
    private readonly manifest: {
      output: Pick<ModelManifest['output'], 'kind' | 'transform' | 'clip'>;
      reference: NonNullable<ModelManifest['reference']>;
    },
    windowRows: number,
  ) {
    const reference = manifest.reference;
    this.distributions = [...reference.inputs, reference.output];
    this.offsets = [];
    let bins = 0;
    for (const d of this.distributions) {
      this.offsets.push(bins);
      bins += d.shares.length;
    }
    this.chunkSize = Math.max(1, Math.ceil(windowRows / CHUNKS));
    this.chunks = Array.from({ length: CHUNKS }, () => new Uint32Array(bins));
    this.chunkRows = new Array<number>(CHUNKS).fill(0);
  }

  /** Counts a batch: `data` rows x inputs, `out` rows x outputs. */
  add(rows: number, data: Float32Array, out: Float32Array): void {
    const inputs = this.distributions.length - 1;
    const width = out.length / rows;
    const outputBins = this.distributions[inputs]!;
    for (let r = 0; r < rows; r++) {
      if (this.chunkRows[this.current] === this.chunkSize) {
        this.current = (this.current + 1) % CHUNKS;
        this.chunks[this.current]!.fill(0);
        this.chunkRows[this.current] = 0;
      }
      const counts = this.chunks[this.current]!;
      for (let j = 0; j < inputs; j++)
        counts[this.offsets[j]! + binOf(this.distributions[j]!.edges, data[r * inputs + j]!)]!++;
      const value = driftValue(out.subarray(r * width, (r + 1) * width), this.manifest);
      counts[this.offsets[inputs]! + binOf(outputBins.edges, value)]!++;
      this.chunkRows[this.current]!++;
    }
  }

  get rows(): number {
    return this.chunkRows.reduce((a, b) => a + b, 0);
  }

  /** The PSI of every input and of the output over the rows the window holds. */
  psi(): WindowPsi {
    const psis = this.distributions.map((d, i) => {
      const counts = new Float64Array(d.shares.length);
      for (const chunk of this.chunks)
        for (let b = 0; b < counts.length; b++) counts[b]! += chunk[this.offsets[i]! + b]!;
      return populationStabilityIndex(d.shares, counts);
    });
    return { rows: this.rows, inputs: psis.slice(0, -1), output: psis[psis.length - 1]! };
  }
}
