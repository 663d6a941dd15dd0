import type { ObjectStatusView } from '../view/types';
import { causesAt, diagnosisAt, stuckWatch } from './stuck';

const created = '2026-11-30T10:00:00.000Z';
const minutes = (n: number) => Date.parse(created) + n * 60_000;
const cluster = (objects: ObjectStatusView[], extra: object = {}) => ({
  phase: 'Provisioning' as const,
  deleting: false,
  createdAt: created,
  objects,
  diagnosis: [],
  ...extra,
});
const clusterObject = (conditions: ObjectStatusView['conditions'] = []) => ({
  kind: 'Cluster',
  name: 'prod',
  conditions,
});
const controlPlane = (conditions: ObjectStatusView['conditions'] = []) => ({
  kind: 'AWSManagedControlPlane',
  name: 'prod-control-plane',
  conditions,
});

describe('stuck clusters', () => {
  it('watches a control plane CAPA has written nothing on for 10 minutes, then a provisioning for 25', () => {
    expect(stuckWatch(cluster([clusterObject(), controlPlane()]))).toEqual({
      cause: 'no-aws-session',
      since: created,
      after: new Date(minutes(10)).toISOString(),
    });
    const progressing = controlPlane([
      { type: 'VpcReady', status: 'True' },
      { type: 'EKSControlPlaneCreating', status: 'True' },
    ]);
    expect(stuckWatch(cluster([clusterObject(), progressing]))).toMatchObject({
      cause: 'stuck-provisioning',
      after: new Date(minutes(25)).toISOString(),
    });
  });

  it('does not watch a cluster an error already explains, or one that is provisioned', () => {
    expect(
      stuckWatch(
        cluster([clusterObject(), controlPlane()], {
          diagnosis: [{ cause: 'quota-vpcs', severity: 'error' }],
        }),
      ),
    ).toBeUndefined();
    expect(
      stuckWatch(
        cluster([clusterObject(), controlPlane()], { phase: 'Provisioned' }),
      ),
    ).toBeUndefined();
  });

  it('watches the stage of a deletion and an upgrade from when they began', () => {
    const stage = '2026-11-30T11:00:00.000Z';
    expect(
      stuckWatch(
        cluster(
          [
            clusterObject([
              {
                type: 'Deleting',
                status: 'True',
                reason: 'WaitingForControlPlaneDeletion',
                lastTransitionTime: stage,
              },
            ]),
          ],
          { phase: 'Deleting', deleting: true, deletionTimestamp: created },
        ),
      ),
    ).toEqual({
      cause: 'stuck-deleting',
      since: stage,
      after: '2026-11-30T11:30:00.000Z',
    });
    expect(
      stuckWatch(
        cluster(
          [
            clusterObject(),
            controlPlane([
              {
                type: 'EKSControlPlaneUpdating',
                status: 'True',
                lastTransitionTime: stage,
              },
            ]),
          ],
          { phase: 'Provisioned' },
        ),
      ),
    ).toMatchObject({
      cause: 'stuck-upgrading',
      after: '2026-11-30T12:00:00.000Z',
    });
  });

  it('adds the stuck diagnosis and cause only once due', () => {
    const view = {
      namespace: 'acme',
      name: 'prod',
      diagnosis: [],
      causes: [],
      stuck: {
        cause: 'stuck-provisioning',
        since: created,
        after: new Date(minutes(25)).toISOString(),
      },
    };
    expect(diagnosisAt(view, minutes(24))).toEqual([]);
    expect(causesAt(view, minutes(24))).toEqual([]);
    const [d] = diagnosisAt(view, minutes(40));
    expect(d).toMatchObject({
      cause: 'stuck-provisioning',
      severity: 'warning',
      evidence: [{ source: 'age', type: 'stuck-provisioning', since: created }],
    });
    expect(d.summary).toContain('40 minutes');
    expect(causesAt(view, minutes(40))).toEqual(['stuck-provisioning']);
  });
});
