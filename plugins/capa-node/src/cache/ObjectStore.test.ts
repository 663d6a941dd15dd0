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

describe('ObjectStore views', () => {
  const inNamespace = (namespace: string, name: string, phase: string) => ({
    ...cluster(),
    metadata: { ...cluster().metadata, namespace, name },
    status: { phase },
  });
  const identity = (roleARN: string) => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    metadata: { name: 'acme' },
    spec: { roleARN },
  });

  it('recomputes after a change only the views of its namespace', () => {
    const store = new ObjectStore('local');
    store.replace('Cluster', [
      inNamespace('acme', 'prod', 'Provisioned'),
      inNamespace('acme', 'dev', 'Provisioned'),
      inNamespace('globex', 'prod', 'Provisioned'),
    ]);
    const [acmeProd, acmeDev, globexProd] = store.listViews();
    const rows = store.listSummaries();

    store.upsert('Cluster', inNamespace('globex', 'prod', 'Deleting'));
    expect(store.view('acme', 'prod')).toBe(acmeProd);
    expect(store.view('acme', 'dev')).toBe(acmeDev);
    expect(store.view('globex', 'prod')).not.toBe(globexProd);
    expect(store.view('globex', 'prod')?.phase).toBe('Deleting');
    const after = store.listSummaries();
    expect(after.map(r => `${r.namespace}/${r.name}/${r.phase}`)).toEqual([
      'acme/dev/Provisioned',
      'acme/prod/Provisioned',
      'globex/prod/Deleting',
    ]);
    // Unchanged rows are the same objects.
    expect(after[0]).toBe(rows[0]);

    // A namespace's own object changes only its views.
    store.upsert('Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'acme',
        labels: { 'capa.backstage.io/tenant': 'acme' },
      },
    });
    expect(store.view('acme', 'prod')).not.toBe(acmeProd);
    const globexNow = store.view('globex', 'prod');
    // A cluster-scoped identity may be named by any view: all are recomputed.
    store.upsert('AWSClusterRoleIdentity', identity('arn:aws:iam::1:role/a'));
    expect(store.view('globex', 'prod')).not.toBe(globexNow);
  });

  it('forgets the view of a removed cluster and computes one for a new cluster', () => {
    const store = new ObjectStore('local');
    store.replace('Cluster', [inNamespace('acme', 'prod', 'Provisioned')]);
    expect(store.listViews().map(v => v.name)).toEqual(['prod']);
    store.upsert('Cluster', inNamespace('acme', 'dev', 'Provisioning'));
    expect(store.listViews().map(v => v.name)).toEqual(['prod', 'dev']);
    store.remove('Cluster', inNamespace('acme', 'prod', 'Provisioned'));
    expect(store.view('acme', 'prod')).toBeUndefined();
    expect(store.listSummaries().map(r => r.name)).toEqual(['dev']);
  });
});
