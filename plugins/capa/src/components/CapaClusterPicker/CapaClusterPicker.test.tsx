import { clusterEntityRef } from '@capa-backstage/plugin-capa-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockCapaApi, summary } from '../../__fixtures__';
import { renderField } from '../__testUtils__/renderField';
import { CapaClusterPicker } from './CapaClusterPicker';

const prod = summary({ name: 'acme-prod' });
const dev = summary({
  name: 'acme-dev',
  managementCluster: 'mgmt-eu',
  namespace: 'tenant-acme',
});
const page = (items: ReturnType<typeof summary>[], nextCursor?: string) => ({
  items,
  totalItems: items.length,
  phaseCounts: {},
  nextCursor,
});

describe('CapaClusterPicker', () => {
  it('offers the clusters the user may update, and reports the chosen entity ref', async () => {
    const api = mockCapaApi();
    api.listClusters.mockResolvedValue(page([prod, dev]));
    const { onChange } = renderField(CapaClusterPicker, {
      api,
      schema: { title: 'Cluster' },
    });
    expect(api.listClusters).toHaveBeenCalledWith({
      can: 'update',
      limit: 1000,
    });
    const input = screen.getByRole('textbox', { name: /Cluster/ });
    await userEvent.click(input);
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'tenant-acme/acme-dev (mgmt-eu)',
      'tenant-acme/acme-prod (local)',
    ]);
    await userEvent.click(options[1]);
    expect(onChange).toHaveBeenLastCalledWith(
      clusterEntityRef({
        managementCluster: 'local',
        namespace: 'tenant-acme',
        name: 'acme-prod',
      }),
    );
    expect(onChange).toHaveBeenLastCalledWith(
      'resource:default/local.tenant-acme.acme-prod',
    );
    expect(input).toHaveValue('tenant-acme/acme-prod (local)');
  });

  it('asks for the capability named in ui:options', async () => {
    const api = mockCapaApi();
    api.listClusters.mockResolvedValue(page([]));
    renderField(CapaClusterPicker, {
      api,
      uiSchema: { 'ui:options': { can: 'manage-access' } },
    });
    expect(
      await screen.findByText(
        /There is no cluster you may manage access to\. Ask a cluster's owners or the platform team/,
      ),
    ).toBeInTheDocument();
    expect(api.listClusters).toHaveBeenCalledWith({
      can: 'manage-access',
      limit: 1000,
    });
  });

  it('refuses a capability that does not exist, without asking the backend', async () => {
    const api = mockCapaApi();
    renderField(CapaClusterPicker, {
      api,
      uiSchema: { 'ui:options': { can: 'admin' } },
    });
    expect(
      await screen.findByText(/ui:options\.can must be one of update, delete/),
    ).toBeInTheDocument();
    expect(api.listClusters).not.toHaveBeenCalled();
  });

  it('follows the pages', async () => {
    const api = mockCapaApi();
    api.listClusters.mockImplementation(async request =>
      request?.cursor === 'p2'
        ? page([dev])
        : page([prod], request?.cursor ? undefined : 'p2'),
    );
    renderField(CapaClusterPicker, { api });
    await userEvent.click(screen.getByRole('textbox'));
    expect(await screen.findAllByRole('option')).toHaveLength(2);
    expect(api.listClusters).toHaveBeenLastCalledWith({
      can: 'update',
      limit: 1000,
      cursor: 'p2',
    });
  });

  it('stops following pages at a cap, and says so', async () => {
    const endless = mockCapaApi();
    endless.listClusters.mockImplementation(async request => ({
      ...page([summary({ name: `c${request?.cursor ?? 0}` })], 'more'),
      totalItems: 5000,
    }));
    renderField(CapaClusterPicker, { api: endless });
    expect(
      await screen.findByText('Showing the first 10 of 5000 clusters.'),
    ).toBeInTheDocument();
    expect(endless.listClusters).toHaveBeenCalledTimes(10);
  });

  it('keeps a pre-filled cluster and shows it before the list loads', async () => {
    const api = mockCapaApi();
    let answer: (list: ReturnType<typeof page>) => void = () => {};
    api.listClusters.mockReturnValue(
      new Promise(resolve => {
        answer = resolve;
      }),
    );
    // The cluster card links with the entity's own ref, which may differ in case.
    const prefilled = 'Resource:default/local.tenant-acme.acme-prod';
    const { onChange } = renderField(CapaClusterPicker, {
      api,
      formData: prefilled,
    });
    const input = screen.getByRole('textbox');
    expect(input).toHaveValue(prefilled);
    answer(page([prod, dev]));
    await waitFor(() =>
      expect(input).toHaveValue('tenant-acme/acme-prod (local)'),
    );
    expect(onChange).not.toHaveBeenCalled();
  });

  it('keeps and flags a pre-filled cluster the user may not change', async () => {
    const api = mockCapaApi();
    api.listClusters.mockResolvedValue(page([dev]));
    const other = 'resource:default/local.tenant-globex.globex-prod';
    const { onChange } = renderField(CapaClusterPicker, {
      api,
      formData: other,
    });
    expect(
      await screen.findByText(
        `You may not change ${other}, or it does not exist; choose another cluster.`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox')).toHaveValue(other);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows why the clusters could not be loaded', async () => {
    const api = mockCapaApi();
    api.listClusters.mockRejectedValue(new TypeError('Failed to fetch'));
    renderField(CapaClusterPicker, { api });
    expect(
      await screen.findByText('Could not load the clusters: Failed to fetch'),
    ).toBeInTheDocument();
  });
});
