/*
 * The local portal's demo management cluster: the Kubernetes-protocol test server on a fixed
 * loopback port, seeded with two tenants and three clusters (and a tenant whose clusters are broken,
 * one per diagnosis), plus a small simulated CAPA controller
 * that moves new Clusters through their phases and creates the user kubeconfig Secret, so the
 * templates and the cluster card can be tried end to end without AWS. Nothing here is used by the
 * plugins themselves.
 */
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
} from '@capa-backstage/plugin-capa-common';
import { CAPA_FIELD_MANAGER } from '../src/client/types';
import { KubernetesTestServer } from '../src/testUtils';
import { BROKEN_TENANT, seedBrokenClusters } from './demoBroken';
import { simulateCapaController } from './simulatedController';
import { simulateClusterResourceSets } from './simulatedClusterResourceSets';

const port = Number(process.env.CAPA_DEMO_PORT ?? 6550);
const token = process.env.CAPA_DEMO_TOKEN ?? 'capa-demo-token';

async function main() {
  let server: KubernetesTestServer;
  try {
    server = await KubernetesTestServer.start({
      port,
      token,
      bookmarkIntervalMs: 30_000,
    });
  } catch (e) {
    console.error(
      `[capa-demo] cannot start the demo management cluster: ${
        (e as Error).message
      }\n` +
        '[capa-demo] It needs the Cluster API and CAPA CRD files: ../shared/crds beside the repository, or a folder named by CAPA_CRDS_DIR (see README, "Tests").',
    );
    process.exitCode = 1;
    return;
  }
  // Seeded as if the templates had applied them, so the day-2 actions may take their fields over.
  server.seed(
    [
      ...renderControllerIdentity().objects,
      ...renderTenant({
        name: 'acme',
        owner: 'group:default/team-acme',
        aws: { accountId: '111122223333', externalId: 'acme-capa-7f3c9d' },
      }).objects,
      ...renderTenant({
        name: 'globex',
        owner: 'group:default/team-globex',
        aws: { accountId: '444455556666' },
      }).objects,
      ...renderCluster({
        name: 'prod',
        tenant: 'acme',
        region: 'eu-west-1',
        kubernetesVersion: '1.33',
        access: {
          mode: 'api_and_config_map',
          adminRoleArns: ['arn:aws:iam::111122223333:role/acme-platform-admin'],
          readOnlyRoleArns: ['arn:aws:iam::111122223333:role/acme-developers'],
        },
        nodePools: [
          {
            name: 'general',
            instanceType: 'm6i.large',
            minSize: 2,
            desiredSize: 3,
            maxSize: 6,
          },
          {
            name: 'batch',
            instanceType: 'c7g.xlarge',
            amiType: 'AL2023_ARM_64_STANDARD',
            capacityType: 'spot',
            minSize: 0,
            maxSize: 10,
          },
        ],
      }).objects,
      // acme's second cluster: the other side of cross-cluster service access (VPC Lattice).
      ...renderCluster({
        name: 'staging',
        tenant: 'acme',
        region: 'eu-west-1',
        kubernetesVersion: '1.33',
        access: {
          mode: 'api',
          adminRoleArns: ['arn:aws:iam::111122223333:role/acme-platform-admin'],
        },
        nodePools: [
          { name: 'general', minSize: 1, desiredSize: 2, maxSize: 4 },
        ],
      }).objects,
      ...renderCluster({
        name: 'dev',
        tenant: 'globex',
        region: 'us-east-2',
        kubernetesVersion: '1.34',
        nodePools: [
          { name: 'general', minSize: 1, desiredSize: 1, maxSize: 3 },
        ],
      }).objects,
    ],
    { fieldManager: CAPA_FIELD_MANAGER },
  );
  const broken = await seedBrokenClusters(server, token);
  const controller = simulateCapaController(server, {
    log: m => console.log(`[capa-demo] ${m}`),
    leaveAlone: [BROKEN_TENANT],
  });
  // The demo starts with acme/prod and acme/staging up and globex/dev still coming up.
  controller.markProvisioned('acme', 'prod');
  controller.markProvisioned('acme', 'staging');
  const resourceSets = simulateClusterResourceSets(server, {
    log: m => console.log(`[capa-demo] ${m}`),
  });
  console.log(
    `[capa-demo] demo management cluster "local" listening on ${server.url} (tenants acme, globex; ${BROKEN_TENANT} with ${broken} broken clusters, one per diagnosis)`,
  );
  const stop = async () => {
    controller.stop();
    resourceSets.stop();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
