import type { KubernetesTestServer, KubeObject } from '../src/testUtils';

const CLUSTER = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster' };
const CONTROL_PLANE = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'AWSManagedControlPlane',
};
const MACHINE_POOL = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachinePool',
};

function condition(
  type: string,
  status: 'True' | 'False',
  reason: string,
  message = '',
) {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: new Date().toISOString(),
  };
}

const DEMO_CA_DATA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nQ0FQQSBERU1PIENB\n-----END CERTIFICATE-----\n',
).toString('base64');

/** An exec-based kubeconfig like the one CAPA writes into `<cluster>-user-kubeconfig`. */
function userKubeconfig(eksName: string, region: string) {
  const name = eksName;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: ${name}`,
    '    cluster:',
    `      server: https://${name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')}.gr7.${region}.eks.amazonaws.com`,
    // Not a real CA (there is no cluster behind the demo's endpoints), but present as in CAPA's.
    `      certificate-authority-data: ${DEMO_CA_DATA}`,
    'contexts:',
    `  - name: ${name}`,
    `    context: { cluster: ${name}, user: ${name}-user }`,
    `current-context: ${name}`,
    'users:',
    `  - name: ${name}-user`,
    '    user:',
    '      exec:',
    '        apiVersion: client.authentication.k8s.io/v1beta1',
    '        command: aws',
    `        args: [eks, get-token, --cluster-name, ${name}, --region, ${region}]`,
    '',
  ].join('\n');
}

/**
 * A stand-in for the CAPA controllers in the local demo: a new Cluster becomes Provisioning after
 * a few seconds and Provisioned a little later (control plane ready, node pools at their desired
 * size, user kubeconfig Secret created); a control plane asked for a new minor version reports it a
 * few seconds later; a deleted Cluster disappears with its objects.
 */
export function simulateCapaController(
  server: KubernetesTestServer,
  options: {
    log: (message: string) => void;
    provisioningAfterMs?: number;
    provisionedAfterMs?: number;
    /** Namespaces whose objects the controller never changes. */
    leaveAlone?: string[];
  },
) {
  const ignored = new Set(options.leaveAlone ?? []);
  const seen = new Map<string, number>();
  const provisioningAfter = options.provisioningAfterMs ?? 3000;
  const provisionedAfter = options.provisionedAfterMs ?? 15000;

  function provision(ns: string, name: string) {
    const cluster = server.getObject({ ...CLUSTER, namespace: ns, name });
    if (!cluster) return;
    const cpName = (cluster.spec as any)?.controlPlaneRef?.name;
    const cp = cpName
      ? server.getObject({ ...CONTROL_PLANE, namespace: ns, name: cpName })
      : undefined;
    const version = String((cp?.spec as any)?.version ?? 'v1.33');
    if (cp) {
      server.setStatus(
        { ...CONTROL_PLANE, namespace: ns, name: cpName },
        { ready: true, initialized: true, version: `${version}.5` },
      );
    }
    for (const mp of server.listObjects(
      MACHINE_POOL.apiVersion,
      MACHINE_POOL.kind,
      ns,
    )) {
      if ((mp.spec as any)?.clusterName !== name) continue;
      const replicas = Number((mp.spec as any)?.replicas ?? 0);
      server.setStatus(
        { ...MACHINE_POOL, namespace: ns, name: mp.metadata.name },
        {
          phase: 'Running',
          replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
        },
      );
    }
    server.setStatus(
      { ...CLUSTER, namespace: ns, name },
      {
        phase: 'Provisioned',
        initialization: {
          infrastructureProvisioned: true,
          controlPlaneInitialized: true,
        },
        conditions: [
          condition('Available', 'True', 'Available'),
          condition('ControlPlaneAvailable', 'True', 'Available'),
          condition('InfrastructureReady', 'True', 'Ready'),
        ],
      },
    );
    const eksName = String(
      (cp?.spec as any)?.eksClusterName ?? `${ns}-${name}`,
    );
    const region = String((cp?.spec as any)?.region ?? 'eu-west-1');
    server.seed([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'cluster.x-k8s.io/secret',
        metadata: {
          name: `${name}-user-kubeconfig`,
          namespace: ns,
          labels: { 'cluster.x-k8s.io/cluster-name': name },
        },
        data: {
          value: Buffer.from(userKubeconfig(eksName, region)).toString(
            'base64',
          ),
        },
      },
    ]);
    options.log(`Cluster ${ns}/${name} is Provisioned`);
  }

  function tick() {
    const now = Date.now();
    for (const c of server.listObjects(
      CLUSTER.apiVersion,
      CLUSTER.kind,
    ) as KubeObject[]) {
      const ns = c.metadata.namespace!;
      if (ignored.has(ns)) continue;
      const name = c.metadata.name;
      const key = `${ns}/${name}`;
      if (c.metadata.deletionTimestamp) {
        server.remove({ ...CLUSTER, namespace: ns, name });
        seen.delete(key);
        options.log(`Cluster ${key} deleted`);
        continue;
      }
      const phase = (c.status as any)?.phase;
      if (phase === 'Provisioned') continue;
      const first = seen.get(key) ?? now;
      seen.set(key, first);
      if (!phase && now - first >= provisioningAfter) {
        server.setStatus(
          { ...CLUSTER, namespace: ns, name },
          {
            phase: 'Provisioning',
            conditions: [
              condition(
                'Available',
                'False',
                'NotAvailable',
                'EKS control plane is being created',
              ),
              condition(
                'ControlPlaneAvailable',
                'False',
                'Creating',
                'Waiting for EKS cluster',
              ),
            ],
          },
        );
        options.log(`Cluster ${key} is Provisioning`);
      } else if (phase === 'Provisioning' && now - first >= provisionedAfter) {
        provision(ns, name);
      }
    }
  }

  /** A control plane whose desired minor version differs from the one it reports is upgraded. */
  const upgrades = new Map<string, number>();
  function upgradeTick() {
    const now = Date.now();
    for (const cp of server.listObjects(
      CONTROL_PLANE.apiVersion,
      CONTROL_PLANE.kind,
    ) as KubeObject[]) {
      const desired = String((cp.spec as any)?.version ?? '').replace(/^v/, '');
      const reported = String((cp.status as any)?.version ?? '').replace(
        /^v/,
        '',
      );
      const key = `${cp.metadata.namespace}/${cp.metadata.name}`;
      if (ignored.has(cp.metadata.namespace!)) continue;
      if (
        !reported ||
        !desired ||
        reported.startsWith(`${desired}.`) ||
        reported === desired
      ) {
        upgrades.delete(key);
        continue;
      }
      const started = upgrades.get(key) ?? now;
      upgrades.set(key, started);
      if (now - started >= provisioningAfter) {
        server.setStatus(
          {
            ...CONTROL_PLANE,
            namespace: cp.metadata.namespace,
            name: cp.metadata.name,
          },
          { ...(cp.status as object), version: `v${desired}.5` },
        );
        upgrades.delete(key);
        options.log(`AWSManagedControlPlane ${key} upgraded to v${desired}.5`);
      }
    }
  }

  const timer = setInterval(() => {
    tick();
    upgradeTick();
  }, 500);
  return {
    markProvisioned: provision,
    stop: () => clearInterval(timer),
  };
}
