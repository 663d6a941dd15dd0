import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockCapaApi, pending, tenant } from '../../__fixtures__';
import { renderField } from '../__testUtils__/renderField';
import {
  CapaTenantPicker,
  capaTenantPickerValidation,
} from './CapaTenantPicker';
import type { CapaTenantPickerValue } from './schema';

const acme = tenant({ tenant: 'acme' });
const globex = tenant({
  tenant: 'globex',
  managementCluster: 'mgmt-eu',
  namespace: 'tenant-globex',
  accountId: undefined,
});

describe('CapaTenantPicker', () => {
  it('offers the tenants the user may create clusters in, by name, management cluster and account', async () => {
    const api = mockCapaApi();
    api.listTenants.mockResolvedValue({ items: [globex, acme] });
    const { onChange } = renderField(CapaTenantPicker, {
      api,
      schema: { title: 'Tenant', description: 'Where the cluster goes' },
    });
    expect(api.listTenants).toHaveBeenCalledWith({ can: 'create-cluster' });
    expect(
      await screen.findByText('Where the cluster goes'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /Tenant/ }));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'acme (management cluster local, account 111122223333)',
      'globex (management cluster mgmt-eu)',
    ]);
    await userEvent.click(options[1]);
    // Only the parts a template needs: no owner or account.
    expect(onChange).toHaveBeenLastCalledWith({
      managementCluster: 'mgmt-eu',
      tenant: 'globex',
      namespace: 'tenant-globex',
    });
    expect(screen.getByRole('button', { name: /Tenant/ })).toHaveTextContent(
      'globex (management cluster mgmt-eu)',
    );
  });

  it('chooses the only tenant by itself', async () => {
    const api = mockCapaApi();
    api.listTenants.mockResolvedValue({ items: [acme] });
    const { onChange } = renderField(CapaTenantPicker, { api });
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith({
        managementCluster: 'local',
        tenant: 'acme',
        namespace: 'acme',
      }),
    );
    expect(
      await screen.findByText(
        'acme (management cluster local, account 111122223333)',
      ),
    ).toBeInTheDocument();
  });

  it('says whom to ask when the user may create clusters in no tenant', async () => {
    const api = mockCapaApi();
    api.listTenants.mockResolvedValue({ items: [] });
    const { onChange } = renderField(CapaTenantPicker, {
      api,
      schema: { title: 'Tenant' },
    });
    expect(
      await screen.findByText(/You may not create clusters in any tenant/),
    ).toHaveTextContent(/ask the platform team/);
    expect(
      screen.queryByRole('button', { name: /Tenant/ }),
    ).not.toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('keeps a pre-filled tenant while loading and flags it when not allowed', async () => {
    const api = mockCapaApi();
    let answer: (list: { items: (typeof acme)[] }) => void = () => {};
    api.listTenants.mockReturnValue(
      new Promise(resolve => {
        answer = resolve;
      }),
    );
    const { onChange } = renderField(CapaTenantPicker, {
      api,
      schema: { title: 'Tenant' },
      formData: {
        managementCluster: 'local',
        tenant: 'initech',
        namespace: 'initech',
      },
    });
    expect(
      await screen.findByRole('button', { name: /Tenant/ }),
    ).toHaveTextContent('initech (management cluster local)');
    answer({ items: [acme, globex] });
    expect(
      await screen.findByText(/You may not create clusters in tenant initech/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Tenant/ })).toHaveTextContent(
      'initech (management cluster local)',
    );
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows why the tenants could not be loaded', async () => {
    const api = mockCapaApi();
    api.listTenants.mockRejectedValue(new TypeError('Failed to fetch'));
    renderField(CapaTenantPicker, { api });
    expect(
      await screen.findByText('Could not load the tenants: Failed to fetch'),
    ).toBeInTheDocument();
  });

  it('shows the form errors of the field', async () => {
    const api = mockCapaApi();
    api.listTenants.mockReturnValue(pending());
    renderField(CapaTenantPicker, {
      api,
      rawErrors: ['Choose a tenant'],
    });
    expect(await screen.findByText('Choose a tenant')).toBeInTheDocument();
  });
});

describe('capaTenantPickerValidation', () => {
  const validate = (value: unknown) => {
    const field = createFieldValidation();
    capaTenantPickerValidation(
      value as CapaTenantPickerValue,
      field,
      {} as Parameters<typeof capaTenantPickerValidation>[2],
    );
    return field.__errors;
  };

  it('refuses a tenant with a missing part, such as the empty object RJSF starts with', () => {
    expect(validate({})).toEqual(['Choose a tenant']);
    expect(validate({ managementCluster: 'local', tenant: 'acme' })).toEqual([
      'Choose a tenant',
    ]);
  });

  it('accepts a whole tenant, and leaves a missing value to required', () => {
    expect(
      validate({
        managementCluster: 'local',
        tenant: 'acme',
        namespace: 'acme',
      }),
    ).toEqual([]);
    expect(validate(undefined)).toEqual([]);
  });
});
