import { InputError, ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { CapaClient } from './CapaClient';

const baseUrl = 'http://backstage.test/api/capa';

function jsonResponse(body: unknown, status = 200, statusText = 'OK') {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { 'content-type': 'application/json' },
  });
}

function setup(response: Response = jsonResponse({})) {
  const fetch = jest.fn().mockResolvedValue(response);
  const discoveryApi = mockApis.discovery.mock({
    getBaseUrl: async () => baseUrl,
  });
  const client = new CapaClient({ discoveryApi, fetchApi: { fetch } });
  return { client, fetch, discoveryApi };
}

describe('CapaClient', () => {
  it('finds the backend through discovery under the capa plugin id', async () => {
    const { client, discoveryApi } = setup(
      jsonResponse({ managementClusters: [] }),
    );
    await client.getHealth();
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('capa');
  });

  it('lists clusters with only the filters that are set', async () => {
    const list = { items: [], totalItems: 0, phaseCounts: {} };
    const { client, fetch } = setup(jsonResponse(list));
    await expect(
      client.listClusters({
        tenant: 'acme & co',
        phase: 'Failed',
        accountId: '',
        namespace: undefined,
        limit: 50,
        cursor: 'abc/def==',
      }),
    ).resolves.toEqual(list);
    const url = new URL(fetch.mock.calls[0][0]);
    expect(`${url.origin}${url.pathname}`).toBe(`${baseUrl}/clusters`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 'acme & co',
      phase: 'Failed',
      limit: '50',
      cursor: 'abc/def==',
    });
  });

  it('lists clusters without a query string when no filter is set', async () => {
    const { client, fetch } = setup(
      jsonResponse({ items: [], totalItems: 0, phaseCounts: {} }),
    );
    await client.listClusters();
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/clusters`);
  });

  it('sends the region and capability filters', async () => {
    const { client, fetch } = setup(
      jsonResponse({ items: [], totalItems: 0, phaseCounts: {} }),
    );
    await client.listClusters({
      region: 'eu-west-1',
      can: 'manage-access',
      limit: 1000,
    });
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/clusters?region=eu-west-1&can=manage-access&limit=1000`,
    );
  });

  it('sends the order, facets, version and search parameters of the contract', async () => {
    const { client, fetch } = setup(
      jsonResponse({ items: [], totalItems: 0, phaseCounts: {} }),
    );
    await client.listClusters({
      kubernetesVersion: 'v1.33',
      search: 'prod',
      sort: 'kubernetesVersion',
      order: 'desc',
      facets: true,
      cursor: 'WyJuYW1lIl0',
    });
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/clusters?kubernetesVersion=v1.33&search=prod&sort=kubernetesVersion&order=desc&facets=true&cursor=WyJuYW1lIl0`,
    );
  });

  it('fetches the settings templates choose from', async () => {
    const settings = {
      managementClusters: ['local', 'mgmt-eu'],
      kubernetesVersions: ['1.33', '1.34'],
    };
    const { client, fetch } = setup(jsonResponse(settings));
    await expect(client.getSettings()).resolves.toEqual(settings);
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/settings`);
  });

  it('lists every tenant without a filter', async () => {
    const tenants = {
      items: [
        {
          managementCluster: 'local',
          tenant: 'acme',
          namespace: 'acme',
          owner: 'group:default/team-acme',
          accountId: '111122223333',
        },
      ],
    };
    const { client, fetch } = setup(jsonResponse(tenants));
    await expect(client.listTenants()).resolves.toEqual(tenants);
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/tenants`);
  });

  it('lists the tenants the caller may create clusters in', async () => {
    const { client, fetch } = setup(jsonResponse({ items: [] }));
    await expect(
      client.listTenants({ can: 'create-cluster' }),
    ).resolves.toEqual({ items: [] });
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/tenants?can=create-cluster`);
  });

  it('throws a ResponseError when the tenants cannot be listed', async () => {
    const { client } = setup(
      jsonResponse(
        {
          error: { name: 'InputError', message: 'can must be create-cluster' },
          response: { statusCode: 400 },
        },
        400,
        'Bad Request',
      ),
    );
    await expect(client.listTenants()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
    });
  });

  it('encodes every path segment of a cluster', async () => {
    const { client, fetch } = setup(jsonResponse({ name: 'x' }));
    await client.getCluster({
      managementCluster: 'eu/prod',
      namespace: 'tenant acme',
      name: 'a?b#c',
    });
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/clusters/eu%2Fprod/tenant%20acme/a%3Fb%23c`,
    );
  });

  it('fetches the kubeconfig under the cluster path', async () => {
    const body = {
      kubeconfig: 'apiVersion: v1\nkind: Config\n',
      secretName: 'acme-prod-user-kubeconfig',
      updateKubeconfigCommand: 'aws eks update-kubeconfig --name x --region y',
      roleCommands: [],
    };
    const { client, fetch } = setup(jsonResponse(body));
    await expect(
      client.getKubeconfig({
        managementCluster: 'local',
        namespace: 'tenant-acme',
        name: 'acme-prod',
      }),
    ).resolves.toEqual(body);
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/clusters/local/tenant-acme/acme-prod/kubeconfig`,
    );
  });

  it.each(['', '.', '..'])(
    'refuses the path segment %j, which URL parsing would swallow or resolve',
    async segment => {
      const { client, fetch } = setup();
      await expect(
        client.getCluster({
          managementCluster: 'local',
          namespace: segment,
          name: 'acme-prod',
        }),
      ).rejects.toBeInstanceOf(InputError);
      expect(fetch).not.toHaveBeenCalled();
    },
  );

  it.each([
    [403, 'Forbidden', 'NotAllowedError', 'Unauthorized'],
    [
      404,
      'Not Found',
      'NotFoundError',
      'Secret acme-prod-user-kubeconfig does not exist yet',
    ],
    [
      503,
      'Service Unavailable',
      'ServiceUnavailableError',
      'management cluster local is unreachable',
    ],
  ])(
    'throws a ResponseError for %i with the server reason, never the error body',
    async (status, statusText, name, message) => {
      const { client } = setup(
        jsonResponse(
          { error: { name, message }, response: { statusCode: status } },
          status,
          statusText,
        ),
      );
      const error = await client
        .getKubeconfig({
          managementCluster: 'local',
          namespace: 'tenant-acme',
          name: 'acme-prod',
        })
        .then(
          () => undefined,
          e => e,
        );
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(status);
      expect(error.cause.name).toBe(name);
      expect(error.cause.message).toBe(message);
    },
  );

  it('throws a ResponseError for a non-JSON error page from a proxy', async () => {
    const { client } = setup(
      new Response('<html>Bad gateway</html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'content-type': 'text/html' },
      }),
    );
    await expect(client.getHealth()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 502,
    });
  });

  it('lets a network failure through as the fetch error', async () => {
    const fetch = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    const client = new CapaClient({
      discoveryApi: { getBaseUrl: async () => baseUrl },
      fetchApi: { fetch },
    });
    await expect(client.listClusters()).rejects.toThrow('Failed to fetch');
  });
});
