import { InputError } from '@backstage/errors';
import { dryRunProblems } from './clusterPlan';

const OBJECT = 'AWSManagedControlPlane acme/staging-control-plane';

describe('dryRunProblems', () => {
  it('names each field an API server refused', () => {
    const error = new InputError(
      `management cluster "local": cannot apply ${OBJECT}: the API server rejected it as invalid (422)\n- spec.version: Invalid value: "v1.99": unsupported\n- spec.region: Required value`,
    );
    expect(dryRunProblems(error, OBJECT)).toEqual([
      {
        path: 'spec.version',
        message: 'Invalid value: "v1.99": unsupported',
        object: OBJECT,
      },
      { path: 'spec.region', message: 'Required value', object: OBJECT },
    ]);
  });

  it('names each field the served CRD does not declare', () => {
    const error = new InputError(
      `management cluster "local": cannot apply ${OBJECT}: the API server rejected it, as its CRD does not declare these fields:\n- spec.newField: field not declared in schema\nCheck the field, or that the management cluster runs the CRD version this portal renders (v1beta2)`,
    );
    expect(dryRunProblems(error, OBJECT)).toEqual([
      {
        path: 'spec.newField',
        message: 'field not declared in schema',
        object: OBJECT,
      },
    ]);
  });

  it('keeps the whole message when it names no field', () => {
    const error = new InputError(
      `management cluster "local": cannot apply ${OBJECT}: it already exists`,
    );
    expect(dryRunProblems(error, OBJECT)).toEqual([
      { path: '', message: error.message, object: OBJECT },
    ]);
  });
});
