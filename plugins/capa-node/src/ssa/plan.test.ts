import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import {
  applyBody,
  describeChanges,
  groupByManager,
  type ObjectPlan,
  ownersInTheWay,
} from './plan';

const REF = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'AWSManagedControlPlane',
  namespace: 'acme',
  name: 'prod-control-plane',
};

/** A control plane created by capa:apply whose version a day-2 action took over. */
const LIVE = {
  ...REF,
  metadata: {
    name: REF.name,
    namespace: REF.namespace,
    managedFields: [
      {
        manager: 'backstage-capa',
        operation: 'Apply',
        fieldsV1: {
          'f:spec': { 'f:region': {}, 'f:logging': { 'f:audit': {} } },
        },
      },
      {
        manager: 'backstage-capa-upgrade',
        operation: 'Apply',
        fieldsV1: { 'f:spec': { 'f:version': {} } },
      },
      {
        manager: 'flux',
        operation: 'Apply',
        fieldsV1: { 'f:spec': { 'f:accessEntries': {} } },
      },
      {
        manager: 'capa-controller',
        operation: 'Update',
        subresource: 'status',
        fieldsV1: { 'f:status': { 'f:version': {} } },
      },
    ],
  },
  spec: {
    region: 'eu-west-1',
    version: 'v1.33',
    logging: { audit: true },
    accessEntries: [{ principalARN: 'arn:a' }],
  },
  status: { version: 'v1.33.4' },
} as KubernetesObject;

const plan = (changes: Array<{ path: string[]; value: unknown }>) =>
  ({ ref: REF, live: LIVE, changes } as ObjectPlan);

describe('applyBody', () => {
  it("holds the object's identity, the fields the manager owns at their live values, and the changes", () => {
    expect(
      applyBody(
        plan([{ path: ['spec', 'logging', 'audit'], value: false }]),
        'backstage-capa-upgrade',
      ),
    ).toEqual({
      ...{ apiVersion: REF.apiVersion, kind: REF.kind },
      metadata: { name: REF.name, namespace: REF.namespace },
      spec: { version: 'v1.33', logging: { audit: false } },
    });
  });

  it('is a copy of the object to create', () => {
    const create = { ...REF, metadata: { name: 'x' } } as KubernetesObject;
    const body = applyBody({ ref: REF, create }, 'backstage-capa');
    expect(body).toEqual(create);
    expect(body).not.toBe(create);
  });
});

describe('describeChanges', () => {
  it('names each changed scalar with its old and new value, and leaves out what is already so', () => {
    expect(
      describeChanges(
        plan([
          { path: ['spec', 'version'], value: 'v1.34' },
          { path: ['spec', 'region'], value: 'eu-west-1' },
          { path: ['spec', 'partition'], value: 'aws' },
        ]),
      ),
    ).toEqual([
      'spec.version: v1.33 -> v1.34',
      'spec.partition: (unset) -> aws',
    ]);
  });

  it('names list items removed and added, with describeItem when given', () => {
    expect(
      describeChanges(
        plan([
          {
            path: ['spec', 'accessEntries'],
            value: [{ principalARN: 'arn:b' }],
          },
        ]),
      ),
    ).toEqual([
      'spec.accessEntries: - {"principalARN":"arn:a"}',
      'spec.accessEntries: + {"principalARN":"arn:b"}',
    ]);
    expect(
      describeChanges({
        ref: REF,
        live: LIVE,
        changes: [
          {
            path: ['spec', 'accessEntries'],
            value: [],
            describeItem: i => (i as { principalARN: string }).principalARN,
          },
        ],
      }),
    ).toEqual(['spec.accessEntries: - arn:a']);
  });

  it('says when a list only changes order, and that a new object is new', () => {
    const live = {
      ...LIVE,
      spec: { list: [1, 2] },
    } as KubernetesObject;
    expect(
      describeChanges({
        ref: REF,
        live,
        changes: [{ path: ['spec', 'list'], value: [2, 1] }],
      }),
    ).toEqual(['spec.list: reordered']);
    expect(describeChanges({ ref: REF, create: LIVE })).toEqual(['new object']);
  });
});

describe('ownersInTheWay', () => {
  it("takes fields over from this project's managers and is blocked by anyone else's", () => {
    expect(
      ownersInTheWay(
        plan([
          { path: ['spec', 'version'], value: 'v1.34' },
          { path: ['spec', 'region'], value: 'eu-west-2' },
          { path: ['spec', 'accessEntries'], value: [] },
        ]),
        'backstage-capa-nodepool',
      ),
    ).toEqual({
      takeOver: [
        { manager: 'backstage-capa', field: '.spec.region' },
        { manager: 'backstage-capa-upgrade', field: '.spec.version' },
      ],
      blocked: [{ manager: 'flux', field: '.spec.accessEntries' }],
    });
  });

  it("ignores the manager's own fields, fields set to their live value, and status", () => {
    expect(
      ownersInTheWay(
        plan([
          { path: ['spec', 'version'], value: 'v1.34' },
          {
            path: ['spec', 'accessEntries'],
            value: [{ principalARN: 'arn:a' }],
          },
          { path: ['status', 'version'], value: 'v1.34.0' },
        ]),
        'backstage-capa-upgrade',
      ),
    ).toEqual({ takeOver: [], blocked: [] });
  });
});

describe('groupByManager', () => {
  it('groups fields by manager in the order first met', () => {
    expect(
      groupByManager([
        { manager: 'flux', field: '.a' },
        { manager: 'argo', field: '.b' },
        { manager: 'flux', field: '.c' },
      ]),
    ).toEqual([
      ['flux', ['.a', '.c']],
      ['argo', ['.b']],
    ]);
  });
});
