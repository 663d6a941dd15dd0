import { typicalCluster, typicalTenant } from '../__fixtures__/inputs';
import { renderCluster } from '../render/renderCluster';
import { renderTenant } from '../render/renderTenant';
import { loadCrds } from '../testUtils';
import { CrdSchemaValidator } from './CrdSchemaValidator';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('CrdSchemaValidator.check', () => {
  // Only the CRDs of the kinds checked here: compiling all of them is the slow part.
  const validator = new CrdSchemaValidator(
    loadCrds().filter(c =>
      [
        'awsclusterroleidentities.infrastructure.cluster.x-k8s.io',
        'awsmanagedmachinepools.infrastructure.cluster.x-k8s.io',
      ].includes(c.metadata.name),
    ),
  );
  const identity = () => clone(renderTenant(typicalTenant).objects[1]) as any;
  const pool = () =>
    clone(
      renderCluster(typicalCluster).objects.find(
        o => o.kind === 'AWSManagedMachinePool',
      ),
    ) as any;

  it('accepts rendered objects', () => {
    expect(validator.check(identity())).toEqual([]);
    expect(validator.check(pool())).toEqual([]);
  });

  it('names each field in the dotted form the API server uses', () => {
    const p = pool();
    p.spec.scaling.maxPods = 3;
    p.spec.capacityType = 'on-demand';
    p.spec.taints = [{ key: 'a', effect: 'NoSchedule', colour: 'red' }];
    const i = identity();
    delete i.spec.roleARN;
    i.metadata.namespace = 'acme';
    expect(validator.check(p)).toEqual(
      expect.arrayContaining([
        {
          field: 'spec.scaling.maxPods',
          message: 'field not declared in schema',
        },
        {
          field: 'spec.capacityType',
          message: 'must be equal to one of the allowed values',
        },
        {
          field: 'spec.taints[0].colour',
          message: 'field not declared in schema',
        },
      ]),
    );
    expect(validator.check(i)).toEqual(
      expect.arrayContaining([
        {
          field: 'metadata.namespace',
          message: 'must be absent for a cluster-scoped kind',
        },
        { field: 'spec.roleARN', message: 'Required value' },
      ]),
    );
  });

  it('says nothing about a kind or version none of its CRDs serves', () => {
    const i = identity();
    i.apiVersion = 'infrastructure.cluster.x-k8s.io/v1beta1';
    expect(validator.check(i)).toBeUndefined();
    expect(
      validator.check({ apiVersion: 'v1', kind: 'Namespace', metadata: {} }),
    ).toBeUndefined();
  });
});
