import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
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
