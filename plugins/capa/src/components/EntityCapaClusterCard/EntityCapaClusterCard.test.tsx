import userEvent from '@testing-library/user-event';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CAPA_ANNOTATIONS,
  type ClusterPhase,
} from '@capa-backstage/plugin-capa-common';
import { screen, within } from '@testing-library/react';
import {
  clusterEntity,
  mockCapaApi,
  pending,
  provisionedView,
  viewIn,
} from '../../__fixtures__';
import { clusterRef, renderCard } from './__testUtils__/renderCard';

// The card's access section, operations and error states have test files of their own.

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

  it('shows the conditions of each object, the unhealthy ones first, and the healthy ones behind a toggle', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderCard({ api });

    const table = await screen.findByRole('table', {
      name: 'Conditions of Cluster acme-prod',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('WorkersAvailableFalseScalingUp');
    expect(rows[0]).toHaveTextContent('2 of 3 nodes are ready');
    expect(within(rows[0]).getByLabelText('Status error')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('InfrastructureReadyUnknownWaiting');
    expect(
      within(rows[1]).getByLabelText('Status warning'),
    ).toBeInTheDocument();
    expect(screen.getByText('All conditions are healthy.')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show 4 healthy conditions' }),
    );
    const all = within(
      screen.getByRole('table', { name: 'Conditions of Cluster acme-prod' }),
    ).getAllByRole('row');
    expect(all).toHaveLength(5);
    expect(
      screen.getByRole('table', {
        name: 'Conditions of AWSManagedControlPlane acme-prod-control-plane',
      }),
    ).toHaveTextContent('EKSControlPlaneReadyTrue');
  });

  it('puts the diagnosis on top with the cause, fix, owner, evidence and the template that fixes it', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue({
      ...provisionedView,
      diagnosis: [
        {
          cause: 'node-ami-architecture',
          title: 'AMI type does not fit the instance type',
          severity: 'error',
          owner: 'tenant',
          summary:
            'Node pool instance type t4g.medium does not run AMI type AL2_x86_64.',
          fix: 'Set the pool amiType to AL2023_ARM_64_STANDARD.',
          template: 'template:default/capa-change-node-pools',
          evidence: [
            {
              source: 'condition',
              kind: 'AWSManagedMachinePool',
              name: 'acme-prod-general',
              type: 'EKSNodegroupReady',
              status: 'False',
              reason: 'EKSNodegroupReconciliationFailed',
              message:
                'failed to create nodegroup: InvalidParameterException: [t4g.medium] is not a valid instance type for requested amiType AL2_x86_64',
            },
          ],
        },
      ],
    });
    const { entity } = renderCard({ api, scaffolder: true });
    const block = await screen.findByRole('region', {
      name: 'Diagnosis: AMI type does not fit the instance type',
    });
    expect(block).toHaveTextContent(
      'Node pool instance type t4g.medium does not run AMI type AL2_x86_64.',
    );
    expect(block).toHaveTextContent(
      "Fixed by: the cluster's owners (the tenant)",
    );
    expect(within(block).getByLabelText('Evidence')).toHaveTextContent(
      'AWSManagedMachinePool acme-prod-general: EKSNodegroupReady False (EKSNodegroupReconciliationFailed)',
    );
    const link = await within(block).findByRole('link', {
      name: 'Change node pools',
    });
    expect(link.getAttribute('href')).toBe(
      `/create/templates/default/capa-change-node-pools?formData=${encodeURIComponent(
        JSON.stringify({ cluster: stringifyEntityRef(entity) }),
      )}`,
    );
  });

  it('reads the warning events once when the card opens and shows the diagnosis they add', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    api.getClusterEvents.mockResolvedValue({
      truncated: false,
      items: [
        {
          kind: 'AWSManagedControlPlane',
          name: 'acme-prod-control-plane',
          reason: 'FailedCreateVPC',
          message:
            'Failed to create new managed VPC: VpcLimitExceeded: The maximum number of VPCs has been reached.',
          count: 4,
          lastTimestamp: new Date().toISOString(),
        },
      ],
      diagnosis: [
        {
          cause: 'quota-vpcs',
          title: 'VPC quota reached',
          severity: 'error',
          owner: 'tenant',
          summary:
            "The tenant's AWS account has as many VPCs as its quota allows.",
          fix: 'Delete unused VPCs.',
          evidence: [
            {
              source: 'event',
              kind: 'AWSManagedControlPlane',
              name: 'acme-prod-control-plane',
              type: 'FailedCreateVPC',
              count: 4,
            },
          ],
        },
      ],
    });
    renderCard({ api });
    const events = await screen.findByRole('table', {
      name: 'Recent warning events',
    });
    expect(events).toHaveTextContent('FailedCreateVPC');
    expect(
      await screen.findByRole('region', {
        name: 'Diagnosis: VPC quota reached',
      }),
    ).toHaveTextContent('seen 4 times');
    expect(api.getClusterEvents).toHaveBeenCalledTimes(1);
    expect(api.getClusterEvents).toHaveBeenCalledWith({
      managementCluster: 'local',
      namespace: 'tenant-acme',
      name: 'acme-prod',
    });
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
      objects: [{ kind: 'Cluster', name: 'acme-prod', conditions: [] }],
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
});
