/** What the supervisor and its server processes say to each other over the cluster IPC channel. */

/** Supervisor -> server process: send your metrics. */
export interface ScrapeRequest {
  kind: 'loyalty.scrape';
  id: number;
}

/** Server process -> supervisor. */
export type ServerReport =
  | { kind: 'loyalty.ready'; port: number; httpPort: number | undefined }
  | { kind: 'loyalty.metrics'; id: number; text: string }
  | { kind: 'loyalty.metrics-failed'; id: number; message: string };

const kinds = new Set(['loyalty.ready', 'loyalty.metrics', 'loyalty.metrics-failed']);

export function isServerReport(message: unknown): message is ServerReport {
  return typeof message === 'object' && message !== null && kinds.has((message as { kind: string }).kind);
}

export function isScrapeRequest(message: unknown): message is ScrapeRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { kind: unknown }).kind === 'loyalty.scrape' &&
    typeof (message as { id: unknown }).id === 'number'
  );
}
