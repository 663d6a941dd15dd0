import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DIAGNOSIS_RULES,
  renderControllerIdentity,
} from '@capa-backstage/plugin-capa-common';
import { BROKEN_TENANT, seedBrokenClusters } from '../../dev/demoBroken';
import { ManagementClusters } from '../client/ManagementClusters';
import { KubernetesTestServer } from '../testUtils';
import { describeDiagnosis, readClusterDiagnosis } from './diagnosis';

const TOKEN = 'diagnosis-test-token';

describe('readClusterDiagnosis', () => {
  beforeAll(() => KubernetesTestServer.preload(), 30_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
    // As in the demo: the platform's controller identity, the source of every tenant's.
    server.seed(renderControllerIdentity().objects);
    clusters = ManagementClusters.fromConfig(
      new ConfigReader({
        capa: {
          managementClusters: [
            { name: 'local', url: server.url, token: TOKEN },
          ],
        },
      }),
      { logger: mockServices.logger.mock() },
    );
  });
  afterEach(() => server.close());

  it("finds each cause on the demo's broken cluster for it, from the objects and the events", async () => {
    await seedBrokenClusters(server, TOKEN);
    const seeded = server.requests.length;
    const client = clusters.get('local');
    const found: Record<string, string[]> = {};
    for (const { cause } of DIAGNOSIS_RULES) {
      const diagnosis = await readClusterDiagnosis(
        client,
        BROKEN_TENANT,
        cause,
      );
      found[cause] = (diagnosis ?? []).map(d => d.cause);
    }
    // Every cluster shows its own cause, and nothing else but its stuck state.
    for (const { cause } of DIAGNOSIS_RULES) {
      expect([cause, found[cause]]).toEqual([
        cause,
        expect.arrayContaining([cause]),
      ]);
      expect(
        found[cause].filter(c => c !== cause && !c.startsWith('stuck-')),
      ).toEqual([]);
    }
    // Reads only.
    expect(
      server.requests.slice(seeded).filter(r => r.method !== 'GET'),
    ).toEqual([]);
  }, 60_000);

  it('is undefined for a cluster that does not exist, and describes a diagnosis in one line', async () => {
    await seedBrokenClusters(server, TOKEN);
    const client = clusters.get('local');
    expect(
      await readClusterDiagnosis(client, BROKEN_TENANT, 'nope'),
    ).toBeUndefined();
    const [d] = (await readClusterDiagnosis(
      client,
      BROKEN_TENANT,
      'quota-vpcs',
    ))!;
    expect(describeDiagnosis(d)).toMatch(
      /^Diagnosis: VPC quota reached\. .* Evidence: AWSManagedControlPlane quota-vpcs-control-plane [\s\S]*VpcLimitExceeded[\s\S]* Fix \(by the tenant\): /,
    );
  }, 30_000);
});
