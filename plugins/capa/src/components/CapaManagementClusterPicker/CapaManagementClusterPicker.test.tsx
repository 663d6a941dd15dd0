import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockCapaApi } from '../../__fixtures__';
import { renderField } from '../__testUtils__/renderField';
import { CapaManagementClusterPicker } from './CapaManagementClusterPicker';

const settings = (managementClusters: string[]) => ({
  managementClusters,
  kubernetesVersions: ['1.34'],
});

describe('CapaManagementClusterPicker', () => {
  it('chooses the only management cluster by itself', async () => {
    const api = mockCapaApi();
    api.getSettings.mockResolvedValue(settings(['local']));
    const { onChange } = renderField(CapaManagementClusterPicker, {
      api,
      schema: { title: 'Management cluster' },
    });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('local'));
    expect(
      screen.getByRole('button', { name: /Management cluster/ }),
    ).toHaveTextContent('local');
  });

  it('lets the user choose among several', async () => {
    const api = mockCapaApi();
    api.getSettings.mockResolvedValue(settings(['mgmt-eu', 'mgmt-us']));
    const { onChange } = renderField(CapaManagementClusterPicker, {
      api,
      schema: { title: 'Management cluster' },
    });
    const select = await screen.findByRole('button', {
      name: /Management cluster/,
    });
    await waitFor(() => expect(select).not.toHaveAttribute('aria-disabled'));
    expect(onChange).not.toHaveBeenCalled();
    await userEvent.click(select);
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['mgmt-eu', 'mgmt-us']);
    await userEvent.click(options[1]);
    expect(onChange).toHaveBeenLastCalledWith('mgmt-us');
  });

  it('keeps a pre-filled value and flags one that is not configured', async () => {
    const api = mockCapaApi();
    api.getSettings.mockResolvedValue(settings(['local']));
    const { onChange } = renderField(CapaManagementClusterPicker, {
      api,
      formData: 'mgmt-old',
    });
    expect(
      await screen.findByText(
        'mgmt-old is not a configured management cluster.',
      ),
    ).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows why the management clusters could not be loaded', async () => {
    const api = mockCapaApi();
    api.getSettings.mockRejectedValue(new TypeError('Failed to fetch'));
    renderField(CapaManagementClusterPicker, { api });
    expect(
      await screen.findByText(
        'Could not load the management clusters: Failed to fetch',
      ),
    ).toBeInTheDocument();
  });
});
