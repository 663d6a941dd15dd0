import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  clusterEntity,
  mockCapaApi,
  provisionedView,
  responseError,
} from '../../__fixtures__';
import { renderCard } from './__testUtils__/renderCard';

describe('EntityCapaClusterCard errors', () => {
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

  it('says the management cluster is not available, and since when the catalog has marked the cluster stale', async () => {
    const api = mockCapaApi();
    api.getCluster.mockRejectedValue(
      await responseError(
        503,
        'Service Unavailable',
        'ServiceUnavailableError',
        'Management cluster "local" cannot be reached (since 2026-11-30T10:00:00.000Z): whether cluster tenant-acme/acme-prod exists is not known',
      ),
    );
    renderCard({
      api,
      entity: {
        ...clusterEntity,
        metadata: {
          ...clusterEntity.metadata,
          annotations: {
            ...clusterEntity.metadata.annotations,
            'capa.backstage.io/stale-since': '2026-11-30T10:00:00.000Z',
          },
        },
      },
    });
    expect(
      await screen.findByText('Warning: Management cluster not available'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/cannot be reached \(since 2026-11-30T10:00:00.000Z\)/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Warning: This status may be out of date'),
    ).toBeInTheDocument();
  });

  it('shows the last known status with a stale banner while the management cluster is down', async () => {
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue({
      ...provisionedView,
      staleSince: '2026-11-30T10:00:00.000Z',
    });
    renderCard({ api });
    expect(
      await screen.findByText('Warning: This status may be out of date'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/has not answered since .*last known state/),
    ).toBeInTheDocument();
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
      await responseError(403, 'Forbidden', 'NotAllowedError', 'Unauthorized'),
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
