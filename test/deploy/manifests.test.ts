import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { AccessPolicy } from '../../src/security/access-policy.js';

/**
 * The Kubernetes manifests (deploy/), rendered offline by kustomize (`kubectl kustomize`; `make
 * test-tools` installs Debian's kubectl when none is on PATH) and checked against the Kubernetes
 * API schemas (kubernetes-models), then against what the server needs of them. No cluster here:
 * nothing is applied.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const KUSTOMIZE = `${ROOT}deploy/kustomize`;
const requireModel = createRequire(import.meta.url);

// Rendered manifests are untyped JSON until validated.
type Doc = Record<string, any>;

function render(dir: string): Doc[] {
  const out = execFileSync('kubectl', ['kustomize', `${KUSTOMIZE}/${dir}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);
}

/** The kubernetes-models class of a manifest's apiVersion and kind. */
function modelOf(doc: Doc): { validate(): void } {
  const module = requireModel(`kubernetes-models/${doc.apiVersion.includes('/') ? doc.apiVersion : 'v1'}`);
  const Model = module[doc.kind];
  if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
  return new Model(doc);
}

const byKind = (docs: Doc[], kind: string) => docs.filter((d) => d.kind === kind);
const one = (docs: Doc[], kind: string, name: string) => {
  const found = docs.find((d) => d.kind === kind && d.metadata.name.startsWith(name));
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

/** Kubernetes quantities: "2", "500m" cores; "512Mi", "1Gi" bytes. */
function quantity(q: string | number): number {
  const m = /^([\d.]+)(m|Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) throw new Error(`quantity ${q}`);
  const scale = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * scale;
}

/** Pod specs of every workload kind. */
function podSpecs(docs: Doc[]): { owner: string; spec: Doc }[] {
  return docs.flatMap((d) => {
    const name = `${d.kind}/${d.metadata.name}`;
    if (d.kind === 'Deployment' || d.kind === 'StatefulSet' || d.kind === 'Job')
      return [{ owner: name, spec: d.spec.template.spec }];
    if (d.kind === 'CronJob') return [{ owner: name, spec: d.spec.jobTemplate.spec.template.spec }];
    return [];
  });
}

const OPS_SECRETS = ['loyalty-feature-store', 'loyalty-inference-tls', 'loyalty-inference-auth'];
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });

describe.each(['small', 'production'])('the %s overlay', (overlay) => {
  if (kubectl.status !== 0 && process.env.CI)
    throw new Error('kubectl is not on PATH: `make test-tools` installs it');
  const docs = kubectl.status === 0 ? render(`overlays/${overlay}`) : [];
  const skip = kubectl.status !== 0;

  it.skipIf(skip)('renders objects that validate against the Kubernetes API schemas', () => {
    expect(docs.length).toBeGreaterThan(10);
    const kinds = new Set(docs.map((d) => d.kind));
    for (const kind of [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'NetworkPolicy',
      'ConfigMap',
      'StatefulSet',
      'CronJob',
    ])
      expect(kinds).toContain(kind);
    const problems: string[] = [];
    for (const doc of docs) {
      try {
        modelOf(doc).validate();
      } catch (err) {
        problems.push(
          `${doc.kind}/${doc.metadata?.name}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    expect(problems).toEqual([]);
    // A schema violation is caught (the check is not vacuous).
    const broken = structuredClone(one(docs, 'Deployment', 'loyalty-inference'));
    broken.spec.template.spec.containers[0].readinessProbe.grpc.port = 'health';
    expect(() => modelOf(broken).validate()).toThrow(/port/);
  });

  it.skipIf(skip)('configures the server with variables it knows and values it accepts', () => {
    const deployment = one(docs, 'Deployment', 'loyalty-inference');
    const server = deployment.spec.template.spec.containers.find((c: Doc) => c.name === 'server');
    const configMapName = server.envFrom[0].configMapRef.name;
    const data: Record<string, string> = one(docs, 'ConfigMap', configMapName).data;
    expect(Object.keys(data).filter((k) => !CONFIG_VARIABLES.includes(k))).toEqual([]);
    const config = loadConfig({ ...data, LOYALTY_MYSQL_URL: 'mysql://u:p@loyalty-mariadb:3306/loyalty' });
    expect(config.grpc.healthPort).toBe(50052);

    // Probes: the kubelet's gRPC probes on the plaintext health port.
    const healthPort = server.ports.find((p: Doc) => p.name === 'grpc-health').containerPort;
    expect(healthPort).toBe(config.grpc.healthPort);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      expect(server[probe].grpc.port).toBe(healthPort);
    expect(server.ports.find((p: Doc) => p.name === 'grpc').containerPort).toBe(config.grpc.port);

    // Resources follow the processes and their workers.
    const { processes } = config;
    const workers = config.inference.workers;
    expect(quantity(server.resources.requests.cpu)).toBe(processes);
    expect(quantity(server.resources.limits.cpu)).toBe(processes * (1 + workers));
    expect(quantity(server.resources.requests.memory)).toBeGreaterThanOrEqual(processes * 2 ** 29);
    expect(quantity(server.resources.limits.memory)).toBeGreaterThanOrEqual(processes * 2 ** 30);

    // The drain fits in the termination grace period.
    const preStop = Number(server.lifecycle.preStop.exec.command[1]);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      config.shutdownGraceMs + preStop * 1000,
    );
    // Files the configuration names are on mounted volumes.
    const mounts: string[] = server.volumeMounts.map((m: Doc) => m.mountPath);
    for (const file of [
      config.tls?.cert,
      config.tls?.key,
      config.tls?.clientCa,
      config.auth?.policyFile,
      config.auth?.tokensFile,
      config.models.dir,
    ])
      if (file) expect(mounts.some((m) => file.startsWith(m))).toBe(true);
    if (overlay === 'production') {
      // The caller policy shipped in its ConfigMap is one the server accepts.
      const policyMap = docs.find((d) => d.kind === 'ConfigMap' && d.data?.['policy.json']);
      expect(() =>
        AccessPolicy.parse({ tokens: [] }, JSON.parse(policyMap!.data['policy.json'])),
      ).not.toThrow();
      expect(config.processes).toBe(2);
      expect(config.tls?.clientCa).toBeDefined();
      expect(config.auth).toBeDefined();
      // Redis, the shared online store: the URL names its Service's port, the materialization
      // publishes there too, and the servers' network policies let them reach it.
      expect(config.redis?.url).toBe('redis://loyalty-redis:6379');
      const service = one(docs, 'Service', 'loyalty-redis');
      expect(service.spec.ports[0].port).toBe(6379);
      expect(one(docs, 'StatefulSet', 'loyalty-redis').spec.template.metadata.labels).toMatchObject(
        service.spec.selector,
      );
      const cron = one(docs, 'CronJob', 'loyalty-materialize');
      const env = cron.spec.jobTemplate.spec.template.spec.containers[0].env;
      expect(env.find((e: Doc) => e.name === 'LOYALTY_REDIS_URL').value).toBe(config.redis!.url);
      const serverLabels = deployment.spec.template.metadata.labels;
      const egress = docs.filter(
        (d) =>
          d.kind === 'NetworkPolicy' &&
          d.spec.policyTypes.includes('Egress') &&
          matches(d.spec.podSelector.matchLabels, serverLabels),
      );
      expect(
        egress.some((p) =>
          p.spec.egress.some(
            (rule: Doc) =>
              rule.ports.some((port: Doc) => port.port === 6379) &&
              rule.to.some((to: Doc) => matches(to.podSelector.matchLabels, service.spec.selector)),
          ),
        ),
      ).toBe(true);
    }
  });

  it.skipIf(skip)('runs every container unprivileged, read-only, with requests and limits', () => {
    for (const { owner, spec } of podSpecs(docs)) {
      expect(spec.securityContext?.runAsNonRoot, owner).toBe(true);
      expect(spec.automountServiceAccountToken, owner).toBe(false);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        const where = `${owner} ${c.name}`;
        expect(c.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.capabilities?.drop, where).toEqual(['ALL']);
        for (const k of ['cpu', 'memory']) {
          expect(c.resources?.requests?.[k], where).toBeDefined();
          expect(c.resources?.limits?.[k], where).toBeDefined();
        }
        if (!['mariadb:11.4', 'redis:7.2'].includes(c.image))
          expect(c.image, where).toMatch(/loyalty-inference:/);
      }
    }
  });

  it.skipIf(skip)(
    'wires the Service, autoscaler, disruption budget and network policy to the server pods',
    () => {
      const deployment = one(docs, 'Deployment', 'loyalty-inference');
      const labels = deployment.spec.template.metadata.labels;
      expect(matches(deployment.spec.selector.matchLabels, labels)).toBe(true);
      const server = deployment.spec.template.spec.containers[0];
      const portNames = server.ports.map((p: Doc) => p.name);

      const service = one(docs, 'Service', 'loyalty-inference');
      expect(service.spec.clusterIP).toBe('None'); // headless: clients balance over the pods
      expect(matches(service.spec.selector, labels)).toBe(true);
      for (const p of service.spec.ports) expect(portNames).toContain(p.targetPort);

      const hpa = one(docs, 'HorizontalPodAutoscaler', 'loyalty-inference');
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);

      const pdb = one(docs, 'PodDisruptionBudget', 'loyalty-inference');
      expect(matches(pdb.spec.selector.matchLabels, labels)).toBe(true);
      if (pdb.spec.minAvailable !== undefined)
        expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);

      const policy = one(docs, 'NetworkPolicy', 'loyalty-inference');
      expect(matches(policy.spec.podSelector.matchLabels, labels)).toBe(true);
      const ingressPorts = policy.spec.ingress.flatMap((r: Doc) => r.ports.map((p: Doc) => p.port));
      expect(ingressPorts).toContain(50051);
      // The server may reach the database the feature store runs.
      const mariadb = one(docs, 'StatefulSet', 'loyalty-mariadb');
      expect(
        policy.spec.egress.some((r: Doc) =>
          r.to.some(
            (t: Doc) =>
              t.podSelector && matches(t.podSelector.matchLabels, mariadb.spec.template.metadata.labels),
          ),
        ),
      ).toBe(true);
      const dbPolicy = one(docs, 'NetworkPolicy', 'loyalty-mariadb');
      expect(matches(dbPolicy.spec.ingress[0].from[0].podSelector.matchLabels, labels)).toBe(true);
    },
  );

  it.skipIf(skip)(
    'refers only to ConfigMaps it renders and to the Secrets deploy/README.md tells ops to create',
    () => {
      const readme = readFileSync(`${ROOT}deploy/README.md`, 'utf8');
      const configMaps = new Set(byKind(docs, 'ConfigMap').map((c) => c.metadata.name));
      const pvcs = new Set(byKind(docs, 'PersistentVolumeClaim').map((c) => c.metadata.name));
      for (const { owner, spec } of podSpecs(docs)) {
        for (const v of spec.volumes ?? []) {
          if (v.configMap) expect(configMaps, owner).toContain(v.configMap.name);
          if (v.secret) expect(OPS_SECRETS, owner).toContain(v.secret.secretName);
          if (v.persistentVolumeClaim) expect(pvcs, owner).toContain(v.persistentVolumeClaim.claimName);
        }
        for (const c of spec.containers) {
          for (const e of c.env ?? [])
            if (e.valueFrom?.secretKeyRef) expect(OPS_SECRETS).toContain(e.valueFrom.secretKeyRef.name);
          for (const e of c.envFrom ?? [])
            if (e.configMapRef) expect(configMaps).toContain(e.configMapRef.name);
          // Commands run files of the build.
          const script = c.command?.find((a: string) => a.startsWith('dist/'));
          if (script) expect(existsSync(`${ROOT}${script}`), script).toBe(true);
        }
      }
      for (const secret of OPS_SECRETS) expect(readme).toContain(secret);
    },
  );
});

describe('the container build file', () => {
  const dockerfile = readFileSync(`${ROOT}deploy/Dockerfile`, 'utf8');
  const ignore = readFileSync(`${ROOT}deploy/Dockerfile.dockerignore`, 'utf8');

  it('builds in one stage and runs as a non-root user from another, with what serving reads', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER 1000:1000$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "dist\/cli\/serve\.js"\]$/m);
    // Read at run time: the compiled code, the protobuf contract, the console's files, the models.
    for (const path of ['./dist', './proto', './src/console/public', './models', './node_modules'])
      expect(runtime).toContain(path);
    for (const path of ['proto/', 'src/', 'models/', 'package-lock.json'])
      expect(ignore).toContain(`!${path}`);
    expect(existsSync(`${ROOT}models/pipeline.json`)).toBe(true);
  });
});
