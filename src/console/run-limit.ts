import { HttpError } from '../http/responses.js';

/** Lists run at once in a process: each reads the whole base (more wait for none: 429). */
export const MAX_CONCURRENT_RUNS = 2;

/**
 * At most `max` lists at once (429 beyond: none waits), and one export of an audience at a time
 * (409: its CRM table is switched whole, two at once would race for it).
 */
export class RunLimit {
  private running = 0;
  private readonly exporting = new Set<string>();

  constructor(private readonly max: number) {}

  async run(audience: string, body: () => Promise<void>): Promise<void> {
    if (this.running >= this.max)
      throw new HttpError(429, `${this.max} lists are being built already; try again when one ends`);
    if (audience && this.exporting.has(audience))
      throw new HttpError(409, `audience ${audience} is being exported already`);
    this.running++;
    if (audience) this.exporting.add(audience);
    try {
      await body();
    } finally {
      this.running--;
      this.exporting.delete(audience);
    }
  }
}
