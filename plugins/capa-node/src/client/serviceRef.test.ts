import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { KubernetesTestServer } from '../testUtils';
import { loadClientNode } from './loadClientNode';
import { ManagementClusters } from './ManagementClusters';
import { managementClustersServiceRef } from './serviceRef';

describe('managementClustersServiceRef', () => {
  beforeAll(async () => {
    KubernetesTestServer.preload();
    await loadClientNode();
  }, 60_000);
  it('gives plugins the management clusters of the root config', async () => {
    const server = await KubernetesTestServer.start({ token: 'svc-token' });
    let clusters: ManagementClusters | undefined;
    const plugin = createBackendPlugin({
      pluginId: 'capa-test',
      register(env) {
        env.registerInit({
          deps: { clusters: managementClustersServiceRef },
          async init(deps) {
            clusters = deps.clusters;
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({
          data: {
            capa: {
              managementClusters: [
                { name: 'local', url: server.url, token: 'svc-token' },
              ],
            },
          },
        }),
      ],
    });
    try {
      expect(clusters!.list()).toEqual([
        { name: 'local', auth: 'token', url: server.url },
      ]);
      expect(await clusters!.get('local').checkCapaInstalled()).toMatchObject({
        installed: true,
      });
    } finally {
      await backend.stop();
      await server.close();
    }
  });

  it('fails the backend start on bad config', async () => {
    const plugin = createBackendPlugin({
      pluginId: 'capa-test',
      register(env) {
        env.registerInit({
          deps: { clusters: managementClustersServiceRef },
          async init() {},
        });
      },
    });
    await expect(
      startTestBackend({
        features: [
          plugin,
          mockServices.rootConfig.factory({
            data: {
              capa: {
                managementClusters: [
                  { name: 'x', url: 'http://example.com', token: 't' },
                ],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/capa\.managementClusters\[0\]\.url: must use https/);
  });
});
