import { liveCluster, livePool } from './__testUtils__/liveObjects';
import {
  checkUpgrade,
  controlPlanePlan,
  machinePoolPlan,
  targetVersion,
} from './clusterUpgrade.plan';

const VERSIONS = ['1.33', '1.34', '1.35'];

describe('capa:cluster:upgrade planning', () => {
  it('accepts a supported minor version, with or without v', () => {
    expect(targetVersion('1.34', VERSIONS)).toEqual({ major: 1, minor: 34 });
    expect(targetVersion('v1.34', VERSIONS)).toEqual({ major: 1, minor: 34 });
    expect(() => targetVersion('1.34.1', VERSIONS)).toThrow(
      'version must be a supported Kubernetes minor version: 1.33, 1.34, 1.35',
    );
    expect(() => targetVersion('1.36', VERSIONS)).toThrow(/supported/);
  });

  it('upgrades from the desired version, and names every problem at once', () => {
    const to = { major: 1, minor: 34 };
    expect(checkUpgrade(liveCluster({ version: 'v1.33' }), to, {})).toEqual({
      major: 1,
      minor: 33,
    });
    expect(() =>
      checkUpgrade(
        liveCluster({
          version: 'v1.33',
          pools: [livePool('general', { amiVersion: '1.33.4-20250801' })],
        }),
        to,
        { gpu: '1.34.2-20250920' },
      ),
    ).toThrow(
      'Cannot upgrade Cluster acme/prod to 1.34; nothing was changed:\n' +
        '- amiVersions names node pool "gpu", which this cluster does not have (it has general)\n' +
        '- node pool prod-general pins amiVersion 1.33.4-20250801, an AMI release of its current Kubernetes version; give amiVersions.general with a release for 1.34',
    );
  });

  it('counts a skip from the version EKS reports while an upgrade is in progress', () => {
    expect(() =>
      checkUpgrade(
        liveCluster({ version: 'v1.34', reported: 'v1.33.4' }),
        { major: 1, minor: 35 },
        {},
      ),
    ).toThrow(
      /the control plane runs 1\.33 \(an upgrade to 1\.34 is still in progress\)/,
    );
    expect(() =>
      checkUpgrade(liveCluster({}), { major: 1, minor: 34 }, {}),
    ).toThrow(/has no Kubernetes version in spec.version or status.version/);
  });

  it('changes nothing where the minor version is already there', () => {
    const to = { major: 1, minor: 34 };
    const { controlPlane, pools } = liveCluster({
      version: 'v1.34',
      pools: [livePool('general', { version: 'v1.34.2' })],
    });
    expect(controlPlanePlan(controlPlane, to)).toMatchObject({ changes: [] });
    expect(machinePoolPlan(pools[0].machinePool, to)).toMatchObject({
      changes: [],
    });
    expect(machinePoolPlan(livePool('batch').machinePool, to)).toMatchObject({
      ref: {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'MachinePool',
        namespace: 'acme',
        name: 'prod-batch',
      },
      changes: [
        { path: ['spec', 'template', 'spec', 'version'], value: 'v1.34.0' },
      ],
    });
  });
});
