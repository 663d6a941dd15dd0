import {
  typicalCluster,
  typicalIamTrust,
  typicalTenant,
} from '../__fixtures__/inputs';
import { CapaValidationError } from '../validation';
import { renderCluster } from './renderCluster';
import { renderIamTrust } from './renderIamTrust';
import { renderTenant } from './renderTenant';

describe('inputs as template forms send them', () => {
  it('treats an empty external id or session name as absent', () => {
    const { objects } = renderTenant({
      ...typicalTenant,
      aws: { ...typicalTenant.aws, externalId: '', sessionName: '' },
    });
    const spec = (objects[1] as any).spec;
    expect(spec.externalID).toBeUndefined();
    expect(spec.sessionName).toBeUndefined();
    const iam = renderIamTrust({
      ...typicalIamTrust,
      tenants: [{ name: 'acme', accountId: '111122223333', externalId: '' }],
    });
    expect(iam.tenants[0].trustPolicy.Statement[0].Condition).toBeUndefined();
  });
});

describe('session duration', () => {
  it('warns that chained role sessions are capped at one hour', () => {
    const { warnings } = renderTenant({
      ...typicalTenant,
      aws: { ...typicalTenant.aws, durationSeconds: 7200 },
    });
    expect(warnings).toEqual([
      expect.stringMatching(
        /durationSeconds 7200: .* caps chained sessions at 3600 seconds/,
      ),
    ]);
  });

  it('does not warn at one hour or less', () => {
    expect(renderTenant(typicalTenant).warnings).toEqual([]);
  });
});

describe('Fargate profile names', () => {
  it('refuses a profile whose object name would exceed 63 characters', () => {
    const error = (() => {
      try {
        renderCluster({
          ...typicalCluster,
          fargateProfiles: [
            { name: 'x'.repeat(60), selectors: [{ namespace: 'jobs' }] },
          ],
        });
      } catch (e) {
        return e as CapaValidationError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CapaValidationError);
    expect(error!.issues).toEqual([
      {
        path: 'fargateProfiles[0].name',
        message: expect.stringMatching(/must be at most 63 characters/),
      },
    ]);
  });
});
