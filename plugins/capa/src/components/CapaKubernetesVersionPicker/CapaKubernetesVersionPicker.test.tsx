import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockCapaApi } from '../../__fixtures__';
import { renderField } from '../__testUtils__/renderField';
import { CapaKubernetesVersionPicker } from './CapaKubernetesVersionPicker';

const settings = (kubernetesVersions: string[]) => ({
  managementClusters: ['local'],
  kubernetesVersions,
});

describe('CapaKubernetesVersionPicker', () => {
  it('offers the versions newest first and chooses the newest', async () => {
    const api = mockCapaApi();
    api.getSettings.mockResolvedValue(settings(['1.9', '1.34', '1.10']));
    const { onChange } = renderField(CapaKubernetesVersionPicker, {
      api,
      schema: { title: 'Kubernetes version' },
    });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('1.34'));
    await userEvent.click(
      screen.getByRole('button', { name: /Kubernetes version/ }),
    );
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['1.34', '1.10', '1.9']);
    await userEvent.click(options[1]);
    expect(onChange).toHaveBeenLastCalledWith('1.10');
  });

  it('keeps a pre-filled version', async () => {
    const api = mockCapaApi();
    api.getSettings.mockResolvedValue(settings(['1.33', '1.34']));
    const { onChange } = renderField(CapaKubernetesVersionPicker, {
      api,
      schema: { title: 'Kubernetes version' },
      formData: '1.33',
    });
    const select = screen.getByRole('button', { name: /Kubernetes version/ });
    expect(select).toHaveTextContent('1.33');
    await waitFor(() => expect(api.getSettings).toHaveBeenCalled());
    expect(select).toHaveTextContent('1.33');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('chooses nothing with ui:options.selectNewest false', async () => {
    const api = mockCapaApi();
    api.getSettings.mockResolvedValue(settings(['1.33', '1.34']));
    const { onChange } = renderField(CapaKubernetesVersionPicker, {
      api,
      schema: { title: 'Kubernetes version' },
      uiSchema: { 'ui:options': { selectNewest: false } },
    });
    const select = screen.getByRole('button', { name: /Kubernetes version/ });
    await waitFor(() => expect(select).not.toHaveAttribute('aria-disabled'));
    expect(onChange).not.toHaveBeenCalled();
  });

  it('flags a version the cluster actions do not accept', async () => {
    const api = mockCapaApi();
    api.getSettings.mockResolvedValue(settings(['1.33', '1.34']));
    renderField(CapaKubernetesVersionPicker, { api, formData: '1.28' });
    expect(
      await screen.findByText(
        '1.28 is not a Kubernetes version the cluster actions accept (1.34, 1.33).',
      ),
    ).toBeInTheDocument();
  });

  it('says so when the backend offers no version', async () => {
    const api = mockCapaApi();
    api.getSettings.mockResolvedValue(settings([]));
    const { onChange } = renderField(CapaKubernetesVersionPicker, { api });
    expect(
      await screen.findByText(
        'The backend offers no Kubernetes version (capa.kubernetesVersions).',
      ),
    ).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });
});
