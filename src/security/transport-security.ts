import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';

export interface TlsFiles {
  cert: string;
  key: string;
  /** Client CA: when set, callers must present a certificate it signed (mTLS). */
  clientCa: string | undefined;
  refreshMs: number;
}

/**
 * Checks that the TLS files exist and hold what they should, before the server starts; throws
 * naming the variable and the problem, never the files' contents.
 */
export function checkTlsFiles(tls: TlsFiles): void {
  const read = (variable: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const certificate = (variable: string, path: string) => {
    try {
      return new X509Certificate(read(variable, path));
    } catch (err) {
      if ((err as Error).message.startsWith(variable)) throw err;
      throw new Error(`${variable}: ${path} is not a PEM certificate`);
    }
  };
  const cert = certificate('LOYALTY_TLS_CERT', tls.cert);
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(read('LOYALTY_TLS_KEY', tls.key));
  } catch (err) {
    if ((err as Error).message.startsWith('LOYALTY_TLS_KEY')) throw err;
    throw new Error(`LOYALTY_TLS_KEY: ${tls.key} is not a PEM private key`);
  }
  if (!cert.checkPrivateKey(key)) throw new Error('LOYALTY_TLS_KEY: the key does not match LOYALTY_TLS_CERT');
  if (tls.clientCa) certificate('LOYALTY_TLS_CLIENT_CA', tls.clientCa);
}

/** The gRPC port's credentials, and a way to wait until their files have been read. */
export interface ServerTransport {
  credentials: grpc.ServerCredentials;
  /**
   * Resolves once the certificate files have been read (at once for plaintext); its result must
   * be called after the port is bound. grpc-js reads the files asynchronously once the server
   * listens, and refuses the handshakes that come first: bound after this, the port never does.
   */
  loaded(): Promise<() => void>;
}

/**
 * Plaintext without TLS files; otherwise TLS whose certificate, key and client CA are re-read
 * every refreshMs (grpc-js's file watcher), so a rotated certificate serves new connections
 * without a restart; with a client CA, a client certificate is required.
 */
export function serverTransport(tls: TlsFiles | undefined): ServerTransport {
  if (!tls) return { credentials: grpc.ServerCredentials.createInsecure(), loaded: async () => () => {} };
  const identity = new grpc.experimental.FileWatcherCertificateProvider({
    certificateFile: tls.cert,
    privateKeyFile: tls.key,
    refreshIntervalMs: tls.refreshMs,
  });
  const ca = tls.clientCa
    ? new grpc.experimental.FileWatcherCertificateProvider({
        caCertificateFile: tls.clientCa,
        refreshIntervalMs: tls.refreshMs,
      })
    : null;
  return {
    // grpc-js takes the identity provider first, whatever its declaration names the parameter.
    credentials: grpc.experimental.createCertificateProviderServerCredentials(identity, ca, ca !== null),
    async loaded() {
      // Listening starts the watchers; a provider hands what it has read to later listeners
      // (grpc-js's own, at bind) at once. Ours stay until then, or the watchers would stop.
      const identityRead = firstUpdate((l) => identity.addIdentityCertificateListener(l));
      const caRead = ca ? firstUpdate((l) => ca.addCaCertificateListener(l)) : undefined;
      await Promise.all([identityRead.read, caRead?.read]);
      return () => {
        identity.removeIdentityCertificateListener(identityRead.listener);
        if (caRead) ca?.removeCaCertificateListener(caRead.listener);
      };
    },
  };
}

/** A listener registered by `add`, and a promise settled by its first non-empty update. */
function firstUpdate(add: (listener: (update: unknown) => void) => void) {
  let listener: (update: unknown) => void = () => {};
  const read = new Promise<void>((resolve) => {
    listener = (update) => {
      if (update) resolve();
    };
  });
  add(listener);
  return { read, listener };
}
