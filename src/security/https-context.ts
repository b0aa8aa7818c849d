import { readFileSync, statSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';
import type { TlsFiles } from './transport-security.js';

/** What the HTTPS server needs to know of the TLS files. */
export interface HttpsTls {
  /** The files as they are now: key, certificate and, with mTLS, the client CA. */
  options(): SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean };
  /** Calls `apply` with new options whenever a file changed (checked every refreshMs). */
  watch(apply: (options: SecureContextOptions) => void, onError: (err: Error) => void): () => void;
}

/**
 * The HTTP port's TLS from the same files as the gRPC port's, re-read when their modification
 * time or size changes, as grpc-js does for the gRPC port: a rotated certificate serves new
 * connections without a restart. With a client CA, clients must present a certificate it signed
 * (as on the gRPC port).
 */
export function httpsTls(tls: TlsFiles): HttpsTls {
  const files = [tls.cert, tls.key, ...(tls.clientCa ? [tls.clientCa] : [])];
  const stamp = () =>
    files
      .map((f) => {
        const s = statSync(f);
        return `${s.mtimeMs}:${s.size}`;
      })
      .join('|');
  const read = () => ({
    cert: readFileSync(tls.cert),
    key: readFileSync(tls.key),
    ...(tls.clientCa ? { ca: readFileSync(tls.clientCa) } : {}),
  });
  return {
    options: () => ({ ...read(), requestCert: tls.clientCa !== undefined, rejectUnauthorized: true }),
    watch(apply, onError) {
      let last = stamp();
      const timer = setInterval(() => {
        try {
          const now = stamp();
          if (now === last) return;
          last = now;
          apply(read());
        } catch (err) {
          // A half-written pair (key and certificate not matching yet) is tried again next tick.
          last = '';
          onError(err as Error);
        }
      }, tls.refreshMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
