import type { LatticeClusterFacts, LatticeContext } from '../types';

const facts = (
  f: Partial<LatticeClusterFacts> & { namespace: string; name: string },
): LatticeClusterFacts => ({
  tenant: f.namespace,
  accountId: '111122223333',
  region: 'eu-west-1',
  eksClusterName: `${f.namespace}_${f.name}`,
  phase: 'Provisioned',
  serviceNetwork: 'acme-mesh',
  ...f,
});

/** Two acme clusters in one account, one still provisioning, one not joined, and globex's in another account. */
export const CLUSTERS: LatticeClusterFacts[] = [
  facts({ namespace: 'acme', name: 'prod' }),
  facts({ namespace: 'acme', name: 'dev' }),
  facts({ namespace: 'acme', name: 'staging', serviceNetwork: undefined }),
  facts({ namespace: 'acme', name: 'new', phase: 'Provisioning' }),
  facts({ namespace: 'globex', name: 'web', accountId: '444455556666' }),
];

export const CONTEXT: LatticeContext = { clusters: CLUSTERS };

/** acme/dev exposes payments-api to acme/prod's namespace payments. */
export const EXPOSE = {
  serviceNetwork: 'acme-mesh',
  namespace: 'acme',
  cluster: 'dev',
  service: { name: 'payments-api', namespace: 'payments', port: 8080 },
  callers: [{ cluster: 'prod', namespace: 'payments' }],
};
