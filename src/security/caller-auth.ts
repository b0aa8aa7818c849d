import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type * as grpc from '@grpc/grpc-js';
import { Errors } from '../errors.js';
import type { AccessPolicy } from './access-policy.js';

type PeerCertificate = ReturnType<TLSSocket['getPeerCertificate']>;

/**
 * Identifies and authorizes callers: by a bearer token in the "authorization" metadata (or HTTP
 * header), else by the client certificate of an mTLS connection (its subject CN, else its first
 * DNS name); the caller must then be allowed the method by the policy. UNAUTHENTICATED without a
 * valid credential, PERMISSION_DENIED for a known caller the policy does not allow.
 */
export class CallerAuth {
  constructor(private readonly policy: AccessPolicy) {}

  /** The caller of a gRPC call allowed to call `method` ("service/Method"). */
  authorize(
    call: { metadata: grpc.Metadata; getAuthContext(): { sslPeerCertificate?: PeerCertificate } },
    method: string,
  ): string {
    const header = call.metadata.get('authorization')[0];
    return this.check(
      typeof header === 'string' ? header : undefined,
      call.getAuthContext().sslPeerCertificate,
      method,
    );
  }

  /** The caller of an HTTP request allowed to call `method`. */
  authorizeHttp(req: IncomingMessage, method: string): string {
    const socket = req.socket as Partial<TLSSocket>;
    const certificate = socket.getPeerCertificate?.();
    return this.check(req.headers.authorization, certificate, method);
  }

  private check(
    authorization: string | undefined,
    certificate: PeerCertificate | undefined,
    method: string,
  ): string {
    let caller: string | undefined;
    if (authorization !== undefined) {
      const token = /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization)?.[1];
      caller = token === undefined ? undefined : this.policy.callerOfToken(token);
      if (!caller) throw Errors.unauthenticated('the bearer token is malformed or unknown');
    } else {
      caller = certificateName(certificate);
      if (!caller) throw Errors.unauthenticated('no credentials');
    }
    if (!this.policy.allows(caller, method)) throw Errors.permissionDenied(caller, method);
    return caller;
  }
}

function certificateName(certificate: PeerCertificate | undefined): string | undefined {
  if (!certificate || Object.keys(certificate).length === 0) return undefined;
  const cn = certificate.subject?.CN;
  if (typeof cn === 'string' && cn) return cn;
  return /DNS:([^,\s]+)/.exec(certificate.subjectaltname ?? '')?.[1];
}
