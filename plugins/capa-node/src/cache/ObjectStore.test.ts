import { ObjectStore, projectObject } from './ObjectStore';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const cluster = () => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: {
    name: 'prod',
    namespace: 'acme',
    uid: 'u-1',
    labels: { 'capa.backstage.io/tenant': 'acme' },
    annotations: { [LAST_APPLIED]: '{"big":"copy"}', note: 'kept' },
    managedFields: [{ manager: 'capa', fieldsV1: { 'f:spec': {} } }],
    resourceVersion: '7',
  },
  spec: { controlPlaneRef: { name: 'prod-control-plane' } },
  status: { phase: 'Provisioned' },
});

describe('projectObject', () => {
  it("drops managedFields and kubectl's last-applied copy, and keeps everything else", () => {
    const raw = cluster();
    const kept = projectObject('Cluster', raw);
    expect(kept).toEqual({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: {
        name: 'prod',
        namespace: 'acme',
        uid: 'u-1',
        labels: { 'capa.backstage.io/tenant': 'acme' },
        annotations: { note: 'kept' },
        resourceVersion: '7',
      },
      spec: { controlPlaneRef: { name: 'prod-control-plane' } },
      status: { phase: 'Provisioned' },
    });
    expect(raw).toEqual(cluster()); // the input is not changed
    expect(projectObject('Cluster', kept)).toBe(kept); // idempotent, no copy
  });

  it('keeps Secrets by name only', () => {
    expect(
      projectObject('Secret', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'prod-kubeconfig',
          namespace: 'acme',
          resourceVersion: '3',
          managedFields: [],
        } as any,
        data: { value: 'c2VjcmV0' },
      } as any),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'prod-kubeconfig',
        namespace: 'acme',
        resourceVersion: '3',
      },
    });
  });

  it('is what the store keeps, on list and on watch events', () => {
    const store = new ObjectStore('local');
    store.replace('Cluster', [cluster()]);
    expect(store.objects('Cluster')[0].metadata).not.toHaveProperty(
      'managedFields',
    );
    store.upsert('Cluster', { ...cluster(), status: { phase: 'Deleting' } });
    const [kept] = store.objects('Cluster');
    expect(kept.metadata).not.toHaveProperty('managedFields');
    expect(kept.metadata?.annotations).toEqual({ note: 'kept' });
    expect(store.view('acme', 'prod')?.phase).toBe('Deleting');
  });
});
