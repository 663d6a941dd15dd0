import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { mockCapaApi, provisionedView } from '../../__fixtures__';
import { capaApiRef } from '../../api';
import { ClusterServiceNetwork } from './ClusterServiceNetwork';
import { clusterRef, renderCard } from './__testUtils__/renderCard';

const REF = { managementCluster: 'local', namespace: 'acme', name: 'dev' };

describe('ClusterServiceNetwork', () => {
  it('shows the network, the exposed service with its callers and delivery, and the services it may call', async () => {
    const api = mockCapaApi();
    api.getClusterServiceNetwork.mockResolvedValue({
      serviceNetwork: 'acme-mesh',
      join: { state: 'applied' },
      exposes: [
        {
          service: { name: 'payments-api', namespace: 'payments', port: 8080 },
          callers: [{ cluster: 'acme/prod', namespace: 'payments' }],
          delivery: { state: 'pending' },
        },
      ],
      calls: [
        {
          cluster: 'acme/prod',
          service: {
            name: 'ledger',
            namespace: 'finance',
            port: 80,
            domain: 'ledger.acme.example.com',
          },
          namespace: 'web',
          serviceAccount: 'frontend',
        },
      ],
    });
    renderInTestApp(
      <TestApiProvider apis={[[capaApiRef, api]]}>
        <ClusterServiceNetwork clusterRef={REF} />
      </TestApiProvider>,
    );
    expect(await screen.findByText('acme-mesh')).toBeInTheDocument();
    expect(api.getClusterServiceNetwork).toHaveBeenCalledWith(REF);
    expect(
      screen.getByText(/Gateway applied by Cluster API/),
    ).toBeInTheDocument();
    const exposed = screen.getByRole('list', { name: 'Exposed services' });
    expect(exposed).toHaveTextContent('payments/payments-api:8080');
    expect(exposed).toHaveTextContent(
      'application-networking.k8s.aws/lattice-assigned-domain-name',
    );
    expect(exposed).toHaveTextContent('not applied by Cluster API yet');
    expect(exposed).toHaveTextContent(
      'Allowed callers: acme/prod namespace payments.',
    );
    expect(
      screen.getByRole('list', { name: 'Services it may call' }),
    ).toHaveTextContent(
      'finance/ledger:80 on acme/prod (ledger.acme.example.com), from namespace web (service account frontend)',
    );
  });

  it('says when the cluster joined no service network', async () => {
    const api = mockCapaApi();
    renderInTestApp(
      <TestApiProvider apis={[[capaApiRef, api]]}>
        <ClusterServiceNetwork clusterRef={REF} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/Not joined to a VPC Lattice service network/),
    ).toBeInTheDocument();
  });

  it('says when it cannot be read', async () => {
    const api = mockCapaApi();
    api.getClusterServiceNetwork.mockRejectedValue(new Error('denied'));
    renderInTestApp(
      <TestApiProvider apis={[[capaApiRef, api]]}>
        <ClusterServiceNetwork clusterRef={REF} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Cannot show the service network: denied'),
    ).toBeInTheDocument();
  });

  it('is a section of the cluster card', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    api.getClusterServiceNetwork.mockResolvedValue({
      serviceNetwork: 'acme-mesh',
      exposes: [],
      calls: [],
    });
    renderCard({ api });
    expect(
      await screen.findByRole('heading', { name: 'Service network' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('acme-mesh')).toBeInTheDocument();
    expect(api.getClusterServiceNetwork).toHaveBeenCalledWith(clusterRef);
  });
});
