import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  CAPA_ANNOTATIONS,
  capaClusterKubeconfigReadPermission,
  type ClusterPhase,
} from '@capa-backstage/plugin-capa-common';
import type { JsonObject } from '@backstage/types';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SWRConfig } from 'swr';
import { capaApiRef, type CapaApi } from '../../api';
import {
  clusterEntity,
  mockCapaApi,
  pending,
  provisionedView,
  responseError,
  viewIn,
} from '../../__fixtures__';
import { scaffolderTemplateRouteRef } from '../../routes';
import { EntityCapaClusterCard } from './EntityCapaClusterCard';

const clusterRef = {
  managementCluster: 'local',
  namespace: 'tenant-acme',
  name: 'acme-prod',
};

// usePermission caches decisions process-wide (SWR) by permission and resource ref; a fresh entity
// name per render keeps one test's decision from answering the next.
let renders = 0;
function freshEntity(entity: Entity): Entity {
  renders += 1;
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      name: `${entity.metadata.name}-${renders}`,
    },
  };
}

function renderCard(options: {
  api: CapaApi;
  authorize?:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY
    | ((
        request: EvaluatePermissionRequest,
      ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);
  entity?: Entity;
  config?: JsonObject;
  /** Mount the scaffolder's template page, as an app with a scaffolder does. */
  scaffolder?: boolean;
}) {
  const decide = options.authorize ?? AuthorizeResult.ALLOW;
  const authorize = jest.fn(async (request: EvaluatePermissionRequest) => ({
    result: typeof decide === 'function' ? decide(request) : decide,
  }));
  const entity = freshEntity(options.entity ?? clusterEntity);
  const rendered = renderInTestApp(
    <TestApiProvider
      apis={[
        [capaApiRef, options.api],
        [permissionApiRef, { authorize }],
        mockApis.config({ data: options.config ?? {} }),
      ]}
    >
      {/* usePermission caches decisions in SWR's global cache; basic permissions have no
          resource ref to make them unique, so each render gets a cache of its own. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <EntityCapaClusterCard />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...(options.scaffolder
          ? {
              '/create/templates/:namespace/:templateName':
                scaffolderTemplateRouteRef,
            }
          : {}),
      },
    },
  );
  return { ...rendered, authorize, entity };
}

describe('EntityCapaClusterCard', () => {
  it('shows progress while the cluster loads', async () => {
    const api = mockCapaApi();
    api.getCluster.mockReturnValue(pending());
    renderCard({ api });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(api.getCluster).toHaveBeenCalledWith(clusterRef);
  });

  it('shows the facts of a provisioned cluster', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderCard({
      api,
      config: { capa: { accountNames: { '111122223333': 'acme-production' } } },
    });

    expect(await screen.findByLabelText('Status ok')).toHaveTextContent(
      'Provisioned',
    );
    expect(
      screen.getByText('111122223333 (acme-production)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('arn:aws:iam::111122223333:role/capa-controllers-acme'),
    ).toBeInTheDocument();
    expect(screen.getByText('eu-west-1')).toBeInTheDocument();
    expect(
      screen.getByText('tenant-acme_acme-prod-control-plane'),
    ).toBeInTheDocument();
    expect(screen.getByText('v1.31.0', { selector: 'dd' })).toBeInTheDocument();
    expect(screen.getByTitle('2025-01-02T03:04:05Z')).toHaveTextContent(
      /^\d+(s|m|h|d|y)$/,
    );
    expect(
      screen.queryByText("Warning: The cluster's status is incomplete"),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText('Info: This cluster is being deleted'),
    ).not.toBeInTheDocument();
  });

  it('lists only the conditions that are not True, with reason and message', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderCard({ api });

    const list = await screen.findByRole('list', {
      name: 'Conditions that are not True',
    });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('WorkersAvailable is False: ScalingUp');
    expect(items[0]).toHaveTextContent('2 of 3 nodes are ready');
    expect(within(items[0]).getByLabelText('Status error')).toBeInTheDocument();
    expect(items[1]).toHaveTextContent(
      'InfrastructureReady is Unknown: Waiting',
    );
    expect(
      within(items[1]).getByLabelText('Status warning'),
    ).toBeInTheDocument();
    expect(list).not.toHaveTextContent('Ready is True');
  });

  it('shows node pools with ready/desired replicas, instance types and failures', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderCard({ api });

    const table = await screen.findByRole('table', { name: 'Node pools' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('acme-prod-general');
    expect(rows[0]).toHaveTextContent('2 / 3');
    expect(rows[0]).toHaveTextContent('m6i.large');
    expect(rows[1]).toHaveTextContent('0 / 2');
    expect(rows[1]).toHaveTextContent('t3.large');
    expect(rows[1]).toHaveTextContent(
      'InsufficientInstanceCapacity in eu-west-1a',
    );
  });

  it.each<[ClusterPhase, string]>([
    ['Pending', 'Status pending'],
    ['Provisioning', 'Status running'],
    ['Provisioned', 'Status ok'],
    ['Deleting', 'Status warning'],
    ['Failed', 'Status error'],
    ['Unknown', 'Status aborted'],
  ])('shows the %s phase as a coloured status', async (phase, status) => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(viewIn(phase));
    renderCard({ api });
    const dl = await screen.findByText('Phase', { selector: 'dt' });
    expect(
      within(dl.nextElementSibling as HTMLElement).getByLabelText(status),
    ).toHaveTextContent(phase);
  });

  it('shows the failure reason and message of a failed cluster', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(
      viewIn('Failed', {
        failure: {
          reason: 'InvalidConfiguration',
          message: 'role arn:aws:iam::111122223333:role/x cannot be assumed',
        },
      }),
    );
    renderCard({ api });
    const failure = await screen.findByText('Failure', { selector: 'dt' });
    expect(failure.nextElementSibling).toHaveTextContent(
      'InvalidConfiguration: role arn:aws:iam::111122223333:role/x cannot be assumed',
    );
  });

  it('shows a version upgrade in progress', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(
      viewIn('Provisioned', {
        eks: {
          ...provisionedView.eks,
          version: { desired: 'v1.32.0', actual: 'v1.31.0' },
        },
      }),
    );
    renderCard({ api });
    expect(
      await screen.findByText('v1.31.0 (upgrading to v1.32.0)'),
    ).toBeInTheDocument();
  });

  it('does not call a patch release of the desired minor version an upgrade', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(
      viewIn('Provisioned', {
        eks: {
          ...provisionedView.eks,
          version: { desired: 'v1.33', actual: 'v1.33.5' },
        },
      }),
    );
    renderCard({ api });
    expect(await screen.findByText('v1.33.5')).toBeInTheDocument();
    expect(screen.queryByText(/upgrading/)).not.toBeInTheDocument();
  });

  it('explains a cluster that is being deleted and offers no access', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(
      viewIn('Deleting', {
        deletionTimestamp: new Date(Date.now() - 300_000).toISOString(),
      }),
    );
    renderCard({ api });
    expect(
      await screen.findByText('Info: This cluster is being deleted'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Deletion was requested 5m ago/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The cluster is being deleted, so no access to it is offered.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Download kubeconfig/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText(/aws eks update-kubeconfig/),
    ).not.toBeInTheDocument();
  });

  it('lists the problems of an incomplete status and shows unknowns instead of crashing', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue({
      ...viewIn('Unknown', { reportedPhase: undefined }),
      conditions: [],
      failure: undefined,
      aws: { identityResolution: 'unknown' },
      eks: { version: {} },
      nodePools: [],
      access: [],
      kubeconfig: { secretName: 'acme-prod-user-kubeconfig', available: false },
      createdAt: undefined,
      problems: [
        'The Cluster has no status yet (its controller has not reconciled it)',
        'The AWSManagedControlPlane acme-prod-control-plane does not exist',
      ],
    });
    renderCard({ api });

    expect(
      await screen.findByText("Warning: The cluster's status is incomplete"),
    ).toBeInTheDocument();
    const problems = screen.getByRole('list', { name: 'Status problems' });
    expect(
      within(problems)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'The Cluster has no status yet (its controller has not reconciled it)',
      'The AWSManagedControlPlane acme-prod-control-plane does not exist',
    ]);
    expect(
      screen.getByText('AWS account', { selector: 'dt' }).nextElementSibling,
    ).toHaveTextContent('Unknown');
    expect(
      screen.getByText('Kubernetes version', { selector: 'dt' })
        .nextElementSibling,
    ).toHaveTextContent('Not known yet');
    expect(screen.getByText('No node pools.')).toBeInTheDocument();
    expect(
      screen.getByText(
        /update-kubeconfig command is shown once the EKS cluster name and region/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Download kubeconfig/ }),
    ).toBeDisabled();
    expect(
      screen.getByText(/acme-prod-user-kubeconfig does not exist yet/),
    ).toBeInTheDocument();
  });

  it.each([
    [
      'manager',
      undefined,
      "The management cluster's own account (controller identity)",
    ],
    [
      'static',
      { kind: 'AWSClusterStaticIdentity', name: 'keys' },
      'Not known: static credentials (AWSClusterStaticIdentity keys)',
    ],
    [
      'dangling',
      { kind: 'AWSClusterRoleIdentity', name: 'gone' },
      'Unknown: AWSClusterRoleIdentity gone does not exist',
    ],
  ] as const)(
    'describes an account resolved through a %s identity',
    async (identityResolution, identity, text) => {
      const api = mockCapaApi();
      api.getCluster.mockResolvedValue(
        viewIn('Provisioned', {
          aws: { region: 'eu-west-1', identityResolution, identity },
        }),
      );
      renderCard({ api });
      expect(await screen.findByText(text)).toBeInTheDocument();
    },
  );

  describe('errors', () => {
    it('says the backend is unreachable when the request never got an answer', async () => {
      const api = mockCapaApi();
      api.getCluster.mockRejectedValue(new TypeError('Failed to fetch'));
      renderCard({ api });
      expect(
        await screen.findByText('Error: CAPA backend unreachable'),
      ).toBeInTheDocument();
      expect(screen.getByText('Failed to fetch')).toBeInTheDocument();
    });

    it('says the backend is unreachable behind a proxy answering 503', async () => {
      const api = mockCapaApi();
      api.getCluster.mockRejectedValue(
        await responseError(
          503,
          'Service Unavailable',
          'ServiceUnavailableError',
          'capa backend is starting',
        ),
      );
      renderCard({ api });
      expect(
        await screen.findByText('Error: CAPA backend unreachable'),
      ).toBeInTheDocument();
      expect(screen.getByText('capa backend is starting')).toBeInTheDocument();
    });

    it('says the cluster was not found, naming it and the server reason', async () => {
      const api = mockCapaApi();
      api.getCluster.mockRejectedValue(
        await responseError(
          404,
          'Not Found',
          'NotFoundError',
          'Cluster tenant-acme/acme-prod not found on local',
        ),
      );
      renderCard({ api });
      expect(
        await screen.findByText('Warning: Cluster not found'),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          /Cluster tenant-acme\/acme-prod does not exist on management cluster local/,
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Cluster tenant-acme/acme-prod not found on local'),
      ).toBeInTheDocument();
    });

    it('says permission was denied and whom to ask', async () => {
      const api = mockCapaApi();
      api.getCluster.mockRejectedValue(
        await responseError(
          403,
          'Forbidden',
          'NotAllowedError',
          'Unauthorized',
        ),
      );
      renderCard({ api });
      expect(
        await screen.findByText('Warning: Permission denied'),
      ).toBeInTheDocument();
      expect(
        screen.getByText(/You may not see this cluster's status/),
      ).toBeInTheDocument();
      expect(screen.getByRole('link', { name: /team-acme/ })).toHaveAttribute(
        'href',
        '/catalog/default/group/team-acme',
      );
    });

    it('shows other failures with their details', async () => {
      const api = mockCapaApi();
      api.getCluster.mockRejectedValue(
        await responseError(500, 'Internal Server Error', 'Error', 'boom'),
      );
      renderCard({ api });
      expect(
        await screen.findByText(/Could not load the cluster/),
      ).toBeInTheDocument();
    });

    it('loads again on refresh', async () => {
      const api = mockCapaApi();
      api.getCluster
        .mockRejectedValueOnce(new TypeError('Failed to fetch'))
        .mockResolvedValueOnce(provisionedView);
      renderCard({ api });
      await screen.findByText('Error: CAPA backend unreachable');
      await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
      expect(await screen.findByLabelText('Status ok')).toHaveTextContent(
        'Provisioned',
      );
      expect(api.getCluster).toHaveBeenCalledTimes(2);
    });
  });

  it('says which annotations are missing instead of calling the backend', async () => {
    const api = mockCapaApi();
    const annotations = { ...clusterEntity.metadata.annotations };
    delete annotations[CAPA_ANNOTATIONS.clusterName];
    renderCard({
      api,
      entity: {
        ...clusterEntity,
        metadata: { ...clusterEntity.metadata, annotations },
      },
    });
    expect(
      (await screen.findAllByText(/capa\.backstage\.io\/cluster-name/)).length,
    ).toBeGreaterThan(0);
    expect(api.getCluster).not.toHaveBeenCalled();
  });

  describe('kubeconfig access', () => {
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
      expect(items[1]).toHaveTextContent(
        'arn:aws:iam::111122223333:user/alice',
      );
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
          screen.getByText(
            'Secret acme-prod-user-kubeconfig does not exist yet',
          ),
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
        await responseError(
          403,
          'Forbidden',
          'NotAllowedError',
          'Unauthorized',
        ),
      );
      renderCard({ api });
      await userEvent.click(
        await screen.findByRole('button', { name: /Download kubeconfig/ }),
      );
      expect(
        await screen.findByText(/The backend refused the download/),
      ).toBeInTheDocument();
    });

    it('hides the download and names the owner to ask when denied', async () => {
      const api = mockCapaApi();
      api.getCluster.mockResolvedValue(provisionedView);
      renderCard({ api, authorize: AuthorizeResult.DENY });

      expect(
        await screen.findByText(
          /You may not download this cluster's kubeconfig/,
        ),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /Download kubeconfig/ }),
      ).not.toBeInTheDocument();
      expect(screen.getByRole('link', { name: /team-acme/ })).toHaveAttribute(
        'href',
        '/catalog/default/group/team-acme',
      );
      // The command needs AWS credentials, not Backstage permission, so it stays.
      expect(
        screen.getByText(/aws eks update-kubeconfig --name/),
      ).toBeInTheDocument();
      expect(api.getKubeconfig).not.toHaveBeenCalled();
    });
  });
  describe('day-2 operations', () => {
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
      ]);
      const ref = `resource:default/${entity.metadata.name}`;
      expect(links.map(l => l.getAttribute('href'))).toEqual(
        [
          'capa-upgrade-cluster',
          'capa-change-node-pools',
          'capa-grant-cluster-access',
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

    it("asks the scaffolder's permission to start tasks", async () => {
      const api = mockCapaApi();
      api.getCluster.mockResolvedValue(provisionedView);
      const { authorize } = renderCard({ api, scaffolder: true });
      await screen.findByRole('region', { name: 'Cluster operations' });
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({ permission: taskCreatePermission }),
      );
    });

    it('hides the links from users who may not run templates', async () => {
      const api = mockCapaApi();
      api.getCluster.mockResolvedValue(provisionedView);
      const { authorize } = renderCard({
        api,
        scaffolder: true,
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
});
