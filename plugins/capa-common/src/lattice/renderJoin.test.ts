import { CONTEXT, EXPOSE } from './__testUtils__/context';
import {
  delivered,
  expectValid,
  issuesOf,
  management,
  workload,
} from './__testUtils__/expect';
import { renderLatticeExpose } from './renderExpose';
import { renderLatticeJoin } from './renderJoin';
import { latticeServiceNetworkView } from './view';

describe('renderLatticeJoin', () => {
  const input = {
    serviceNetwork: 'acme-mesh',
    namespace: 'acme',
    cluster: 'prod',
  };
  const existing = [
    {
      name: 'vpc-cni',
      version: 'v1.19.2-eksbuild.1',
      conflictResolution: 'overwrite' as const,
    },
  ];

  it('renders a Gateway named after the service network, delivered by a Reconcile ClusterResourceSet', () => {
    const r = renderLatticeJoin(input, CONTEXT, existing);
    for (const o of r.workload) expectValid(workload, o);
    for (const o of r.objects) expectValid(management, o);
    const gateway = r.workload.find(o => o.kind === 'Gateway')!;
    expect(gateway.metadata).toEqual({
      name: 'acme-mesh',
      namespace: 'lattice-gateway',
    });
    expect(gateway.spec).toMatchObject({
      gatewayClassName: 'amazon-vpc-lattice',
    });
    expect(delivered(r.delivery.configMap)).toEqual(r.workload);
    expect(r.delivery.clusterResourceSet).toMatchObject({
      metadata: { name: 'lattice-join.prod', namespace: 'acme' },
      spec: {
        clusterSelector: {
          matchLabels: { 'capa.backstage.io/lattice-cluster': 'prod' },
        },
        resources: [{ kind: 'ConfigMap', name: 'lattice-join.prod' }],
        strategy: 'Reconcile',
      },
    });
    expect(r.delivery.configMap.metadata.labels).toMatchObject({
      'cluster.x-k8s.io/cluster-name': 'prod',
      'capa.backstage.io/lattice': 'join',
      'capa.backstage.io/lattice-service-network': 'acme-mesh',
      'capa.backstage.io/tenant': 'acme',
    });
    expect(r.clusterLabel).toEqual({
      key: 'capa.backstage.io/lattice-cluster',
      value: 'prod',
    });
  });

  it('merges the Pod Identity agent into the existing add-ons, and keeps one that is there', () => {
    const added = renderLatticeJoin(input, CONTEXT, existing);
    expect(added.addons).toEqual([
      ...existing,
      {
        name: 'eks-pod-identity-agent',
        version: 'v1.3.4-eksbuild.1',
        conflictResolution: 'overwrite',
      },
    ]);
    expect(added.addonsChanged).toBe(true);
    const kept = renderLatticeJoin(input, CONTEXT, added.addons);
    expect(kept.addons).toEqual(added.addons);
    expect(kept.addonsChanged).toBe(false);
  });

  it('refuses an unknown, a provisioning cluster, and a second service network, all at once', () => {
    expect(
      issuesOf(() =>
        renderLatticeJoin(
          { ...input, cluster: 'nope', serviceNetwork: 'sn-x' },
          CONTEXT,
        ),
      ),
    ).toEqual([
      {
        path: 'serviceNetwork',
        message: expect.stringMatching(/not starting with "sn-"/),
      },
      {
        path: 'cluster',
        message: expect.stringMatching(/Cluster acme\/nope does not exist/),
      },
    ]);
    expect(
      issuesOf(() => renderLatticeJoin({ ...input, cluster: 'new' }, CONTEXT)),
    ).toEqual([
      {
        path: 'cluster',
        message: expect.stringMatching(
          /acme\/new is Provisioning; only Provisioned/,
        ),
      },
    ]);
    expect(
      issuesOf(() =>
        renderLatticeJoin({ ...input, serviceNetwork: 'other-mesh' }, CONTEXT),
      ),
    ).toEqual([
      {
        path: 'serviceNetwork',
        message: expect.stringMatching(
          /already joined service network "acme-mesh"/,
        ),
      },
    ]);
  });
});

describe('latticeServiceNetworkView (the cluster card)', () => {
  it("shows the network joined, the services exposed and called, and CAPI's binding", () => {
    const join = renderLatticeJoin(
      { serviceNetwork: 'acme-mesh', namespace: 'acme', cluster: 'dev' },
      CONTEXT,
    );
    const exposed = renderLatticeExpose(
      {
        ...EXPOSE,
        service: { ...EXPOSE.service, domain: 'pay.acme.example.com' },
      },
      CONTEXT,
    );
    const configMaps = [join.delivery.configMap, exposed.delivery.configMap];
    const binding = {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSetBinding',
      metadata: { name: 'dev', namespace: 'acme' },
      spec: {
        clusterName: 'dev',
        bindings: [
          {
            clusterResourceSetName: 'lattice-join.dev',
            resources: [
              {
                kind: 'ConfigMap',
                name: 'lattice-join.dev',
                applied: true,
                lastAppliedTime: '2026-11-30T10:00:00Z',
              },
            ],
          },
          {
            clusterResourceSetName: 'lattice-expose.dev.payments.payments-api',
            resources: [
              {
                kind: 'ConfigMap',
                name: 'lattice-expose.dev.payments.payments-api',
                applied: false,
              },
            ],
          },
        ],
      },
    };
    expect(
      latticeServiceNetworkView(
        { namespace: 'acme', name: 'dev' },
        configMaps,
        [binding],
      ),
    ).toEqual({
      serviceNetwork: 'acme-mesh',
      join: { state: 'applied', lastAppliedTime: '2026-11-30T10:00:00Z' },
      exposes: [
        {
          service: {
            name: 'payments-api',
            namespace: 'payments',
            port: 8080,
            domain: 'pay.acme.example.com',
          },
          callers: [{ cluster: 'acme/prod', namespace: 'payments' }],
          delivery: { state: 'failed' },
        },
      ],
      calls: [],
    });
    expect(
      latticeServiceNetworkView(
        { namespace: 'acme', name: 'prod' },
        configMaps,
        [],
      ),
    ).toEqual({
      exposes: [],
      calls: [
        {
          cluster: 'acme/dev',
          service: {
            name: 'payments-api',
            namespace: 'payments',
            port: 8080,
            domain: 'pay.acme.example.com',
          },
          namespace: 'payments',
        },
      ],
    });
  });
});
