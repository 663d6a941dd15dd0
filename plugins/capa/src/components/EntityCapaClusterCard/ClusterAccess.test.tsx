import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { capaClusterKubeconfigReadPermission } from '@capa-backstage/plugin-capa-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockCapaApi,
  provisionedView,
  responseError,
} from '../../__fixtures__';
import { clusterRef, renderCard } from './__testUtils__/renderCard';

describe('EntityCapaClusterCard kubeconfig access', () => {
  const kubeconfig = {
    kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\n',
    secretName: 'acme-prod-user-kubeconfig',
    updateKubeconfigCommand:
      'aws eks update-kubeconfig --name x --region eu-west-1',
    roleCommands: [],
  };

  it('shows the update-kubeconfig command with a copy button', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderCard({ api });
    expect(
      await screen.findByText(
        'aws eks update-kubeconfig --name tenant-acme_acme-prod-control-plane --region eu-west-1',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy update-kubeconfig command' }),
    ).toBeInTheDocument();
  });

  it('lists the mapped IAM roles and users, with a command per role', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderCard({ api });
    const list = await screen.findByRole('list', {
      name: 'Mapped IAM principals',
    });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'arn:aws:iam::111122223333:role/acme-admins',
    );
    expect(items[0]).toHaveTextContent(
      'role, via EKS access entry; policies AmazonEKSClusterAdminPolicy',
    );
    expect(
      within(items[0]).getByRole('button', {
        name: 'Copy update-kubeconfig command for arn:aws:iam::111122223333:role/acme-admins',
      }),
    ).toBeInTheDocument();
    expect(items[1]).toHaveTextContent('arn:aws:iam::111122223333:user/alice');
    expect(items[1]).toHaveTextContent(
      'user, via aws-auth ConfigMap; as alice; groups acme:viewers',
    );
    // A user cannot be assumed, so there is no role command for it.
    expect(within(items[1]).queryByRole('button')).not.toBeInTheDocument();
  });

  it('checks the kubeconfig permission against the cluster entity', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    const { authorize, entity } = renderCard({ api });
    await screen.findByRole('button', { name: /Download kubeconfig/ });
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: capaClusterKubeconfigReadPermission,
        resourceRef: `resource:default/${entity.metadata.name}`,
      }),
    );
  });

  it('downloads the kubeconfig as a file when allowed', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    api.getKubeconfig.mockResolvedValue(kubeconfig);
    const blobs: Blob[] = [];
    const createObjectURL = jest
      .spyOn(URL, 'createObjectURL')
      .mockImplementation(blob => {
        blobs.push(blob as Blob);
        return 'blob:kubeconfig';
      });
    const revokeObjectURL = jest
      .spyOn(URL, 'revokeObjectURL')
      .mockImplementation(() => {});
    const saved: Array<{ download: string; href: string }> = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        saved.push({ download: this.download, href: this.href });
      });
    try {
      renderCard({ api, authorize: AuthorizeResult.ALLOW });
      await userEvent.click(
        await screen.findByRole('button', { name: /Download kubeconfig/ }),
      );

      await waitFor(() => expect(saved).toHaveLength(1));
      expect(api.getKubeconfig).toHaveBeenCalledWith(clusterRef);
      expect(saved[0]).toEqual({
        download: 'acme-prod-kubeconfig.yaml',
        href: 'blob:kubeconfig',
      });
      expect(createObjectURL).toHaveBeenCalledTimes(1);
      expect(await blobs[0].text()).toBe(kubeconfig.kubeconfig);
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:kubeconfig');
    } finally {
      createObjectURL.mockRestore();
      revokeObjectURL.mockRestore();
      click.mockRestore();
    }
  });

  it('explains a failed download instead of saving anything', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    api.getKubeconfig.mockRejectedValue(
      await responseError(
        404,
        'Not Found',
        'NotFoundError',
        'Secret acme-prod-user-kubeconfig does not exist yet',
      ),
    );
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    try {
      renderCard({ api });
      await userEvent.click(
        await screen.findByRole('button', { name: /Download kubeconfig/ }),
      );
      expect(
        await screen.findByText('Warning: Kubeconfig not found'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Secret acme-prod-user-kubeconfig does not exist yet'),
      ).toBeInTheDocument();
      expect(click).not.toHaveBeenCalled();
    } finally {
      click.mockRestore();
    }
  });

  it('says whom to ask when the backend refuses the download', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    api.getKubeconfig.mockRejectedValue(
      await responseError(403, 'Forbidden', 'NotAllowedError', 'Unauthorized'),
    );
    renderCard({ api });
    await userEvent.click(
      await screen.findByRole('button', { name: /Download kubeconfig/ }),
    );
    expect(
      await screen.findByText(/The backend refused the download/),
    ).toBeInTheDocument();
  });

  it('offers neither the download nor any command when denied, and names the owner to ask', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderCard({
      api,
      authorize: request =>
        request.permission.name === capaClusterKubeconfigReadPermission.name
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });

    const section = await screen.findByRole('region', {
      name: 'Kubeconfig access',
    });
    expect(
      await within(section).findByText(
        /Only the cluster's owners may take its kubeconfig/,
      ),
    ).toBeInTheDocument();
    expect(
      within(section).queryByRole('button', { name: /Download kubeconfig/ }),
    ).not.toBeInTheDocument();
    expect(
      within(section).getByRole('link', { name: /team-acme/ }),
    ).toHaveAttribute('href', '/catalog/default/group/team-acme');
    // No update-kubeconfig command, neither the cluster's nor a role's.
    expect(section).not.toHaveTextContent(/update-kubeconfig/);
    expect(
      within(section).queryByRole('button', { name: /Copy/ }),
    ).not.toBeInTheDocument();
    // Which principals are mapped is part of the status everyone who sees the card may read.
    const list = within(section).getByRole('list', {
      name: 'Mapped IAM principals',
    });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(api.getKubeconfig).not.toHaveBeenCalled();
  });

  it('offers nothing when the permission check fails, and says so', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    const { authorize } = renderCard({ api });
    authorize.mockRejectedValue(new Error('permission backend down'));
    expect(
      await screen.findByText(/Checking your access failed/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Download kubeconfig/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText(/aws eks update-kubeconfig/),
    ).not.toBeInTheDocument();
  });
});
