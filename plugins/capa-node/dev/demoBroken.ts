/*
 * The demo's `demo-broken` tenant: one cluster per row of the diagnosis table, each put into the
 * state its example (capa-common's DIAGNOSIS_EXAMPLES, the payloads the table's tests use) shows:
 * a condition or failure message written on the object CAPA would write it on, a Warning event
 * recorded against it, or a state that has lasted too long. The simulated controller leaves this
 * namespace alone, so the clusters stay broken.
 */
import {
  DIAGNOSIS_EXAMPLES,
  renderCluster,
  renderTenant,
  type DiagnosisSignal,
} from '@capa-backstage/plugin-capa-common';
import { randomBytes } from 'crypto';
import { CAPA_FIELD_MANAGER } from '../src/client/types';
import type { KubernetesTestServer } from '../src/testUtils';

/** The demo tenant whose clusters are broken on purpose. */
export const BROKEN_TENANT = 'demo-broken';

const MINUTE = 60_000;
const CLUSTER = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster' };
const API_VERSIONS: Record<string, string> = {
  Cluster: 'cluster.x-k8s.io/v1beta2',
  MachinePool: 'cluster.x-k8s.io/v1beta2',
  AWSManagedControlPlane: 'controlplane.cluster.x-k8s.io/v1beta2',
  AWSManagedMachinePool: 'infrastructure.cluster.x-k8s.io/v1beta2',
};
/** Kinds whose conditions are Cluster API v1beta2's (no severity), not CAPA's. */
const CAPI_KINDS = new Set(['Cluster', 'MachinePool']);

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** The object of the broken cluster `name` that a signal about `kind` concerns. */
function objectOf(kind: string, name: string) {
  let objectName = name;
  if (kind === 'AWSManagedControlPlane') objectName = `${name}-control-plane`;
  if (kind === 'MachinePool' || kind === 'AWSManagedMachinePool')
    objectName = `${name}-general`;
  return {
    apiVersion: API_VERSIONS[kind] ?? API_VERSIONS.Cluster,
    kind: API_VERSIONS[kind] ? kind : 'Cluster',
    namespace: BROKEN_TENANT,
    name: objectName,
  };
}

function conditionOf(kind: string, s: DiagnosisSignal, since = ago(MINUTE)) {
  return {
    type: s.type ?? 'Ready',
    status: s.status ?? 'False',
    reason: s.reason ?? 'Failed',
    message: s.message ?? '',
    ...(CAPI_KINDS.has(kind) ? {} : { severity: s.severity ?? 'Error' }),
    lastTransitionTime: since,
  };
}

/** The status that carries a condition or failure signal on its object. */
function statusWith(kind: string, s: DiagnosisSignal): Record<string, unknown> {
  if (s.source === 'failure') {
    return CAPI_KINDS.has(kind)
      ? { deprecated: { v1beta1: { failureMessage: s.message } } }
      : { ready: false, failureMessage: s.message };
  }
  const conditions = [conditionOf(kind, s)];
  if (kind === 'Cluster') return { phase: 'Provisioning', conditions };
  return { ready: false, conditions };
}

/** Creates the tenant and its broken clusters on the demo management cluster. */
export async function seedBrokenClusters(
  server: KubernetesTestServer,
  token: string,
): Promise<number> {
  server.seed(
    renderTenant({
      name: BROKEN_TENANT,
      owner: `group:default/team-${BROKEN_TENANT}`,
      aws: { accountId: '777788889999' },
    }).objects,
    { fieldManager: CAPA_FIELD_MANAGER },
  );
  for (const example of DIAGNOSIS_EXAMPLES) {
    const name = example.cause;
    const { signal } = example;
    server.seed(
      renderCluster({
        name,
        tenant: BROKEN_TENANT,
        region: 'eu-west-1',
        kubernetesVersion: '1.33',
        nodePools: [
          { name: 'general', minSize: 1, desiredSize: 1, maxSize: 2 },
        ],
      }).objects,
      { fieldManager: CAPA_FIELD_MANAGER },
    );
    const cluster = { ...CLUSTER, namespace: BROKEN_TENANT, name };
    const controlPlane = objectOf('AWSManagedControlPlane', name);
    // CAPA has an AWS session for every cluster but no-aws-session's: it wrote a condition.
    if (signal.type !== 'no-aws-session')
      server.setStatus(controlPlane, {
        ready: false,
        conditions: [
          {
            type: 'EKSControlPlaneCreating',
            status: 'True',
            reason: 'EKSControlPlaneCreating',
            severity: 'Info',
            lastTransitionTime: ago(MINUTE),
          },
        ],
      });
    server.setStatus(cluster, { phase: 'Provisioning' });

    if (signal.source === 'condition' || signal.source === 'failure') {
      const target = objectOf(signal.kind, name);
      server.setStatus(target, statusWith(target.kind, signal));
    } else if (signal.source === 'event') {
      const target = objectOf(signal.kind, name);
      server.seed([
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: {
            name: `${target.name}.${randomBytes(8).toString('hex')}`,
            namespace: BROKEN_TENANT,
          },
          involvedObject: {
            apiVersion: target.apiVersion,
            kind: target.kind,
            name: target.name,
            namespace: BROKEN_TENANT,
          },
          reason: signal.type,
          message: signal.message,
          type: 'Warning',
          count: 4,
          firstTimestamp: ago(20 * MINUTE),
          lastTimestamp: ago(MINUTE),
          source: { component: 'aws-controller' },
        },
      ]);
    } else if (signal.type === 'stuck-upgrading') {
      server.setStatus(cluster, { phase: 'Provisioned' });
      server.setStatus(controlPlane, {
        ready: true,
        version: 'v1.33.5',
        conditions: [
          {
            type: 'EKSControlPlaneUpdating',
            status: 'True',
            reason: 'EKSControlPlaneUpdating',
            severity: 'Info',
            lastTransitionTime: ago(75 * MINUTE),
          },
        ],
      });
    } else if (signal.type === 'stuck-deleting') {
      // Deleted long ago, held by Cluster API's finalizer while its objects are not gone.
      server.update(cluster, c => ({
        ...c,
        metadata: { ...c.metadata, finalizers: ['cluster.cluster.x-k8s.io'] },
      }));
      const res = await fetch(
        `${server.url}/apis/cluster.x-k8s.io/v1beta2/namespaces/${BROKEN_TENANT}/clusters/${name}`,
        { method: 'DELETE', headers: { authorization: `Bearer ${token}` } },
      );
      if (!res.ok) throw new Error(`deleting ${name}: HTTP ${res.status}`);
      server.setStatus(cluster, {
        phase: 'Deleting',
        conditions: [
          {
            type: 'Deleting',
            status: 'True',
            reason: 'WaitingForControlPlaneDeletion',
            message: '* Control plane still exists',
            lastTransitionTime: ago(45 * MINUTE),
          },
        ],
      });
      server.backdate(cluster, 45 * MINUTE);
    }
    // How long the age examples' states have lasted; the others are an hour old too.
    if (signal.type !== 'stuck-deleting') server.backdate(cluster, 60 * MINUTE);
  }
  return DIAGNOSIS_EXAMPLES.length;
}
