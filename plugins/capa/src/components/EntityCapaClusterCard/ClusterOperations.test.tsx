import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  capaClusterAccessManagePermission,
  capaClusterKubeconfigReadPermission,
  capaClusterUpdatePermission,
} from '@capa-backstage/plugin-capa-common';
import { screen, waitFor, within } from '@testing-library/react';
import { mockCapaApi, provisionedView, viewIn } from '../../__fixtures__';
import { allowOnly, renderCard } from './__testUtils__/renderCard';

describe('EntityCapaClusterCard day-2 operations', () => {
  it('links to the three templates, pre-filled with the cluster', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    const { entity } = renderCard({ api, scaffolder: true });
    const section = await screen.findByRole('region', {
      name: 'Cluster operations',
    });
    const links = within(section).getAllByRole('link');
    expect(links.map(l => l.textContent)).toEqual([
      'Upgrade the cluster',
      'Change node pools',
      'Grant or revoke access',
      'Allow a cluster to call a service',
    ]);
    const ref = `resource:default/${entity.metadata.name}`;
    expect(links.map(l => l.getAttribute('href'))).toEqual(
      [
        'capa-upgrade-cluster',
        'capa-change-node-pools',
        'capa-grant-cluster-access',
        'capa-allow-cluster-service-access',
      ].map(
        t =>
          `/create/templates/default/${t}?formData=${encodeURIComponent(
            JSON.stringify({ cluster: ref }),
          )}`,
      ),
    );
    const url = new URL(links[0].getAttribute('href')!, 'http://localhost');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      cluster: ref,
    });
  });

  it("asks the scaffolder's permission and this cluster's permissions", async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    const { authorize, entity } = renderCard({ api, scaffolder: true });
    await screen.findByRole('region', { name: 'Cluster operations' });
    const resourceRef = `resource:default/${entity.metadata.name}`;
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({ permission: taskCreatePermission }),
    );
    for (const permission of [
      capaClusterUpdatePermission,
      capaClusterAccessManagePermission,
    ]) {
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({ permission, resourceRef }),
      );
    }
  });

  it.each([
    [
      'update only',
      [capaClusterUpdatePermission.name],
      [
        'Upgrade the cluster',
        'Change node pools',
        'Allow a cluster to call a service',
      ],
    ],
    [
      'access management only',
      [capaClusterAccessManagePermission.name],
      ['Grant or revoke access'],
    ],
  ])(
    'shows only the links the user is allowed on this cluster (%s)',
    async (_case, allowed, titles) => {
      const api = mockCapaApi();
      api.getCluster.mockResolvedValue(provisionedView);
      renderCard({
        api,
        scaffolder: true,
        authorize: allowOnly(taskCreatePermission.name, ...allowed),
      });
      const section = await screen.findByRole('region', {
        name: 'Cluster operations',
      });
      expect(
        within(section)
          .getAllByRole('link')
          .map(l => l.textContent),
      ).toEqual(titles);
    },
  );

  it('shows no section to a user allowed on nothing of this cluster', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    const { authorize } = renderCard({
      api,
      scaffolder: true,
      authorize: allowOnly(
        taskCreatePermission.name,
        capaClusterKubeconfigReadPermission.name,
      ),
    });
    // The kubeconfig button shows that the card rendered and permissions were answered.
    await screen.findByRole('button', { name: /Download kubeconfig/ });
    await waitFor(() =>
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: capaClusterAccessManagePermission,
        }),
      ),
    );
    expect(
      screen.queryByRole('region', { name: 'Cluster operations' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('Operations')).not.toBeInTheDocument();
  });

  it('hides the links from users who may not run templates', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    const { authorize } = renderCard({
      api,
      scaffolder: true,
      // Allowed on the cluster, but not to start scaffolder tasks.
      authorize: request =>
        request.permission.name === taskCreatePermission.name
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    // The kubeconfig button shows that the card rendered and permissions were answered.
    await screen.findByRole('button', { name: /Download kubeconfig/ });
    await waitFor(() =>
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({ permission: taskCreatePermission }),
      ),
    );
    expect(
      screen.queryByRole('region', { name: 'Cluster operations' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Upgrade the cluster' }),
    ).not.toBeInTheDocument();
  });

  it('hides the links in an app without a scaffolder', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderCard({ api });
    await screen.findByRole('button', { name: /Download kubeconfig/ });
    expect(
      screen.queryByRole('link', { name: 'Upgrade the cluster' }),
    ).not.toBeInTheDocument();
  });

  it('offers no operation on a cluster that is being deleted', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(viewIn('Deleting'));
    renderCard({ api, scaffolder: true });
    await screen.findByText('Info: This cluster is being deleted');
    expect(
      screen.queryByRole('region', { name: 'Cluster operations' }),
    ).not.toBeInTheDocument();
  });
});
