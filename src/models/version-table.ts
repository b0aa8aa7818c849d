import type { Candidate } from './repository-scan.js';
import type { ServedModel } from './served-model.js';

/**
 * One version of the repository as the registry knows it, in one place (as Triton keeps a
 * version's ready state and reason): what serves, whether a load is under way, and files refused.
 */
export interface VersionEntry {
  name: string;
  version: string;
  /** The loaded version that serves; it stays while a rewrite of its folder loads or is refused. */
  model: ServedModel | undefined;
  /** The signature of the served files. */
  signature: string | undefined;
  /** Being loaded into the workers now. */
  loading: boolean;
  /** Files refused, and why (until they change). */
  refusal: { signature: string; reason: string } | undefined;
}

/**
 * Every version known, by name then version, and the serving versions of each name: an index
 * rebuilt from the entries whenever a version loads or leaves (routing reads it on every call).
 */
export class VersionTable {
  private readonly entries = new Map<string, Map<string, VersionEntry>>();
  private serving = new Map<string, Map<string, ServedModel>>();
  private static readonly NONE: ReadonlyMap<string, ServedModel> = new Map();

  get(name: string, version: string): VersionEntry | undefined {
    return this.entries.get(name)?.get(version);
  }

  /** The entry of a version, created empty when it is new. */
  entry(c: { name: string; version: string }): VersionEntry {
    let versions = this.entries.get(c.name);
    if (!versions) {
      versions = new Map();
      this.entries.set(c.name, versions);
    }
    let entry = versions.get(c.version);
    if (!entry) {
      entry = {
        name: c.name,
        version: c.version,
        model: undefined,
        signature: undefined,
        loading: false,
        refusal: undefined,
      };
      versions.set(c.version, entry);
    }
    return entry;
  }

  all(): VersionEntry[] {
    return [...this.entries.values()].flatMap((v) => [...v.values()]);
  }

  /** The serving versions of a name (empty when none). */
  served(name: string): ReadonlyMap<string, ServedModel> {
    return this.serving.get(name) ?? VersionTable.NONE;
  }

  /** Names with a serving version, sorted, with their versions. */
  servedNames(): [string, ReadonlyMap<string, ServedModel>][] {
    return [...this.serving.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  loaded(): Set<ServedModel> {
    return new Set([...this.serving.values()].flatMap((v) => [...v.values()]));
  }

  /** Rebuilds the serving index after a version loaded or left. */
  index(): void {
    const serving = new Map<string, Map<string, ServedModel>>();
    for (const [name, versions] of this.entries) {
      const loaded = new Map<string, ServedModel>();
      for (const [version, e] of versions) if (e.model) loaded.set(version, e.model);
      if (loaded.size > 0) serving.set(name, loaded);
    }
    this.serving = serving;
  }

  /** Forgets versions whose folder is gone and that serve nothing (a refusal goes with its folder). */
  forgetAbsent(found: readonly Candidate[]): void {
    const present = new Set(found.map((c) => `${c.name}\u0000${c.version}`));
    for (const [name, versions] of this.entries) {
      for (const [version, e] of versions)
        if (!e.model && !e.loading && !present.has(`${name}\u0000${version}`)) versions.delete(version);
      if (versions.size === 0) this.entries.delete(name);
    }
  }
}
