/** Float32 values appended one at a time, in a buffer that doubles as it fills. */
export class Floats {
  private data = new Float32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  done(): Float32Array {
    return this.data.slice(0, this.length);
  }
}
