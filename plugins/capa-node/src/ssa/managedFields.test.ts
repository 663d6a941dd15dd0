import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import {
  fieldsV1Paths,
  foreignAppliers,
  isCapaFieldManager,
  jsonEqual,
  managedEntries,
} from './managedFields';

const withManagers = (managedFields: unknown[]): KubernetesObject =>
  ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'acme', managedFields },
  } as KubernetesObject);

describe('jsonEqual', () => {
  it('ignores key order and keys set to undefined, but not list order', () => {
    expect(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: '1' })).toBe(false);
    expect(jsonEqual(undefined, {})).toBe(false);
  });
});

describe('fieldsV1Paths', () => {
  it('lists the leaves, and a list owned item by item as the whole list', () => {
    expect(
      fieldsV1Paths({
        'f:spec': {
          'f:version': {},
          'f:scaling': { 'f:minSize': {}, 'f:maxSize': {} },
          'f:accessEntries': {
            '.': {},
            'k:{"principalARN":"arn"}': { 'f:username': {} },
          },
        },
      }),
    ).toEqual([
      ['spec', 'version'],
      ['spec', 'scaling', 'minSize'],
      ['spec', 'scaling', 'maxSize'],
      ['spec', 'accessEntries'],
    ]);
  });
});

describe('managedEntries', () => {
  it('reads each entry, leaving out status and what is not an entry', () => {
    expect(
      managedEntries(
        withManagers([
          {
            manager: 'capi',
            operation: 'Update',
            subresource: 'status',
            fieldsV1: { 'f:status': { 'f:phase': {} } },
          },
          'not an entry',
          {
            manager: 'flux',
            operation: 'Apply',
            fieldsV1: { 'f:spec': { 'f:version': {} } },
          },
        ]),
      ),
    ).toEqual([
      {
        manager: 'capi',
        operation: 'Update',
        subresource: 'status',
        paths: [],
      },
      {
        manager: 'flux',
        operation: 'Apply',
        subresource: undefined,
        paths: [['spec', 'version']],
      },
    ]);
    expect(
      managedEntries({ ...withManagers([]), metadata: { name: 'x' } }),
    ).toEqual([]);
  });
});

describe('foreignAppliers', () => {
  it("names the Apply managers outside this project, once each, and no controller's updates", () => {
    const fields = { 'f:spec': { 'f:version': {} } };
    expect(
      foreignAppliers(
        withManagers([
          { manager: 'backstage-capa', operation: 'Apply', fieldsV1: fields },
          {
            manager: 'backstage-capa-upgrade',
            operation: 'Apply',
            fieldsV1: fields,
          },
          { manager: 'flux', operation: 'Apply', fieldsV1: fields },
          { manager: 'flux', operation: 'Apply', fieldsV1: fields },
          { manager: 'kubectl-edit', operation: 'Update', fieldsV1: fields },
          {
            manager: 'argocd',
            operation: 'Apply',
            subresource: 'status',
            fieldsV1: fields,
          },
        ]),
      ),
    ).toEqual(['flux']);
  });

  it("counts backstage-capa and its suffixed managers as this project's", () => {
    expect(isCapaFieldManager('backstage-capa')).toBe(true);
    expect(isCapaFieldManager('backstage-capa-nodepool')).toBe(true);
    expect(isCapaFieldManager('backstage-capabilities')).toBe(false);
    expect(isCapaFieldManager('flux')).toBe(false);
  });
});
