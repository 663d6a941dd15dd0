import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CapaAuthorizer } from '@capa-backstage/plugin-capa-node';
import {
  createTaskAuthorizer,
  type TaskAuthorizer,
} from '../../authorization/TaskAuthorizer';

/**
 * The real task authorizer over a permission service that allows (or denies) everything, for tests
 * about what an action does once it is allowed. The authorization tests use their own decisions.
 */
export function decidingAuthorizer(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
): TaskAuthorizer {
  return createTaskAuthorizer({
    authorizer: new CapaAuthorizer({
      permissions: mockServices.permissions({ result }),
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
    }),
    auditor: mockServices.auditor.mock(),
  });
}
