import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger.js';
import { mergeExpositions, type ProcessExposition } from './merge-metrics.js';
import { isServerReport, type ScrapeRequest, type ServerReport } from './messages.js';

export interface SupervisorOptions {
  processes: number;
  /** How long each process may drain its calls at SIGTERM before it is killed. */
  shutdownGraceMs: number;
  logger: Logger;
  /** A process that does not answer a scrape in this time is left out of it. */
  scrapeTimeoutMs?: number;
}

/** The ports every server process listens on (they share them through the cluster module). */
export interface ServingAddress {
  port: number;
  httpPort: number | undefined;
}

interface Slot {
  index: number;
  worker: Worker;
  startedAt: number;
  ready: boolean;
  /** Wait before replacing this slot's process if it exits soon after starting. */
  backoffMs: number;
}

/** A process that lived this long before exiting is replaced at once; sooner, with a growing wait. */
const STABLE_MS = 10_000;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;
/** Beyond the processes' own grace period, before SIGKILL. */
const KILL_AFTER_GRACE_MS = 5_000;

/**
 * The primary process of LOYALTY_PROCESSES > 1: forks that many server processes (node:cluster;
 * they share the gRPC and HTTP ports, the primary handing out connections), replaces one that
 * exits, gathers their metrics for the one /metrics endpoint, and drains them all at shutdown.
 * Holds no serving state of its own.
 */
export class Supervisor {
  private readonly slots: (Slot | undefined)[] = [];
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private readonly scrapes = new Map<number, (part: ProcessExposition | undefined) => void>();
  private stopping = false;
  private restarts = 0;
  private scrapeFailures = 0;
  private nextScrapeId = 0;
  private starting:
    | { resolve: (a: ServingAddress) => void; reject: (e: Error) => void; ready: number }
    | undefined;
  private address: ServingAddress | undefined;

  constructor(private readonly options: SupervisorOptions) {}

  /** Forks every process; resolves once all of them serve, rejects if one exits before. */
  start(): Promise<ServingAddress> {
    return new Promise((resolve, reject) => {
      this.starting = { resolve, reject, ready: 0 };
      for (let i = 0; i < this.options.processes; i++) this.fork(i, FIRST_BACKOFF_MS);
    });
  }

  /** Live server processes that have reported ready. */
  get serving(): number {
    return this.slots.filter((s) => s?.ready).length;
  }

  private fork(index: number, backoffMs: number): void {
    const worker = cluster.fork();
    const slot: Slot = { index, worker, startedAt: Date.now(), ready: false, backoffMs };
    this.slots[index] = slot;
    worker.on('message', (message: unknown) => {
      if (isServerReport(message)) this.onReport(slot, message);
    });
    worker.on('exit', (code, signal) => this.onExit(slot, code, signal));
  }

  private onReport(slot: Slot, report: ServerReport): void {
    switch (report.kind) {
      case 'loyalty.ready': {
        slot.ready = true;
        this.address ??= { port: report.port, httpPort: report.httpPort };
        const { logger } = this.options;
        if (this.starting) {
          logger.info({ process: slot.index, pid: slot.worker.process.pid }, 'server process ready');
          if (++this.starting.ready === this.options.processes) {
            this.starting.resolve(this.address);
            this.starting = undefined;
          }
        } else logger.info({ process: slot.index, pid: slot.worker.process.pid }, 'server process replaced');
        return;
      }
      case 'loyalty.metrics':
        this.scrapes.get(report.id)?.({ process: String(slot.index), text: report.text });
        return;
      case 'loyalty.metrics-failed':
        this.scrapes.get(report.id)?.(undefined);
        return;
    }
  }

  private onExit(slot: Slot, code: number | null, signal: string | null): void {
    if (this.slots[slot.index] === slot) this.slots[slot.index] = undefined;
    if (this.stopping) return;
    const { logger } = this.options;
    if (this.starting && !slot.ready) {
      // A process that cannot start would fail the same way again: give up on the start.
      const reject = this.starting.reject;
      this.starting = undefined;
      void this.stop().then(() =>
        reject(
          new Error(`server process ${slot.index} exited (code ${code}, signal ${signal}) before serving`),
        ),
      );
      return;
    }
    const lived = Date.now() - slot.startedAt;
    const wait = lived >= STABLE_MS ? 0 : Math.min(MAX_BACKOFF_MS, slot.backoffMs * 2);
    this.restarts++;
    logger.error(
      { process: slot.index, pid: slot.worker.process.pid, code, signal, livedMs: lived, replaceInMs: wait },
      'server process exited; replacing it',
    );
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (!this.stopping) this.fork(slot.index, wait || FIRST_BACKOFF_MS);
    }, wait);
    this.restartTimers.add(timer);
  }

  /** Every process's metrics, labelled by process, and the supervisor's own. */
  async metricsText(): Promise<string> {
    const live = this.slots.filter((s): s is Slot => s?.ready === true && s.worker.isConnected());
    const parts = await Promise.all(live.map((s) => this.scrape(s)));
    const answered = parts.filter((p): p is ProcessExposition => p !== undefined);
    return `${mergeExpositions(answered)}${this.ownMetrics(live.length)}`;
  }

  private scrape(slot: Slot): Promise<ProcessExposition | undefined> {
    const id = ++this.nextScrapeId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), this.options.scrapeTimeoutMs ?? 2_000);
      const finish = (part: ProcessExposition | undefined) => {
        clearTimeout(timer);
        this.scrapes.delete(id);
        if (!part) this.scrapeFailures++;
        resolve(part);
      };
      this.scrapes.set(id, finish);
      const request: ScrapeRequest = { kind: 'loyalty.scrape', id };
      slot.worker.send(request, (err: Error | null) => {
        if (err) finish(undefined);
      });
    });
  }

  private ownMetrics(processes: number): string {
    return [
      '# HELP loyalty_cluster_processes Server processes serving under the supervisor',
      '# TYPE loyalty_cluster_processes gauge',
      `loyalty_cluster_processes ${processes}`,
      '# HELP loyalty_cluster_process_restarts_total Server processes replaced after they exited',
      '# TYPE loyalty_cluster_process_restarts_total counter',
      `loyalty_cluster_process_restarts_total ${this.restarts}`,
      '# HELP loyalty_cluster_scrape_failures_total Scrapes a server process did not answer in time',
      '# TYPE loyalty_cluster_scrape_failures_total counter',
      `loyalty_cluster_scrape_failures_total ${this.scrapeFailures}`,
      '',
    ].join('\n');
  }

  /**
   * SIGTERM to every process (each drains its calls), SIGKILL to any still there after the grace
   * period; resolves once all have exited, true if every one exited cleanly.
   */
  async stop(): Promise<boolean> {
    this.stopping = true;
    for (const t of this.restartTimers) clearTimeout(t);
    this.restartTimers.clear();
    const live = this.slots.filter((s): s is Slot => s !== undefined);
    const exits = live.map(
      (s) =>
        new Promise<boolean>((resolve) => {
          if (s.worker.process.exitCode !== null) return resolve(s.worker.process.exitCode === 0);
          const kill = setTimeout(
            () => s.worker.process.kill('SIGKILL'),
            this.options.shutdownGraceMs + KILL_AFTER_GRACE_MS,
          );
          s.worker.once('exit', (code) => {
            clearTimeout(kill);
            resolve(code === 0);
          });
          s.worker.process.kill('SIGTERM');
        }),
    );
    return (await Promise.all(exits)).every(Boolean);
  }
}
