import { readFileSync } from 'node:fs';
import { type Config, ConfigError } from '../config.js';
import { AccessPolicy } from './access-policy.js';
import { CallerAuth } from './caller-auth.js';
import { type HttpsTls, httpsTls } from './https-context.js';
import { checkTlsFiles, type ServerTransport, serverTransport } from './transport-security.js';

export interface Security {
  transport: ServerTransport;
  /** The HTTP port's TLS, from the same files; undefined: plaintext. */
  https: HttpsTls | undefined;
  /** Undefined when no policy is configured: every caller may call everything. */
  auth: CallerAuth | undefined;
  /** For the start-up log line: what is on, never a secret. */
  summary: { tls: 'off' | 'tls' | 'mtls'; auth: 'off' | 'on'; callers: number };
}

/**
 * TLS and caller authorization from their files, checked before the server starts: a missing or
 * unreadable file, a bad certificate or key, an invalid token or policy file is a ConfigError
 * (the server exits with code 2) naming the variable and the problem, never a secret.
 */
export function loadSecurity(config: Pick<Config, 'tls' | 'auth'>): Security {
  try {
    if (config.tls) checkTlsFiles(config.tls);
    let auth: CallerAuth | undefined;
    let callers = 0;
    if (config.auth) {
      const tokens = config.auth.tokensFile
        ? readJson('LOYALTY_AUTH_TOKENS', config.auth.tokensFile)
        : { tokens: [] };
      const policy = AccessPolicy.parse(tokens, readJson('LOYALTY_AUTH_POLICY', config.auth.policyFile));
      auth = new CallerAuth(policy);
      callers = policy.callers.length;
    }
    return {
      transport: serverTransport(config.tls),
      https: config.tls ? httpsTls(config.tls) : undefined,
      auth,
      summary: {
        tls: !config.tls ? 'off' : config.tls.clientCa ? 'mtls' : 'tls',
        auth: auth ? 'on' : 'off',
        callers,
      },
    };
  } catch (err) {
    throw new ConfigError(`invalid security configuration: ${(err as Error).message}`);
  }
}

function readJson(variable: string, path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message may quote the file: a tokens file holds hashes, but say nothing of it.
    throw new Error(`${variable}: ${path} is not valid JSON`);
  }
}
