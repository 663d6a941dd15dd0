import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
  type TestAppRenderResult,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { JsonObject } from '@backstage/types';
import { SWRConfig } from 'swr';
import { capaApiRef, type CapaApi } from '../../../api';
import { clusterEntity } from '../../../__fixtures__';
import { scaffolderTemplateRouteRef } from '../../../routes';
import { EntityCapaClusterCard } from '../EntityCapaClusterCard';

/** The cluster of the `clusterEntity` fixture. */
export const clusterRef = {
  managementCluster: 'local',
  namespace: 'tenant-acme',
  name: 'acme-prod',
};

/** A decision for every permission, or one per request. */
export type Decide =
  | AuthorizeResult.ALLOW
  | AuthorizeResult.DENY
  | ((
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);

/** Allows the named permissions and denies every other. */
export function allowOnly(...names: string[]): Decide {
  return request =>
    names.includes(request.permission.name)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
}

// usePermission caches decisions process-wide (SWR) by permission and resource ref; a fresh entity
// name per render keeps one test's decision from answering the next.
let renders = 0;
function freshEntity(entity: Entity): Entity {
  renders += 1;
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      name: `${entity.metadata.name}-${renders}`,
    },
  };
}

/** Renders the cluster card for an entity, with the given CapaApi and permission decisions. */
export function renderCard(options: {
  api: CapaApi;
  authorize?: Decide;
  entity?: Entity;
  config?: JsonObject;
  /** Mount the scaffolder's template page, as an app with a scaffolder does. */
  scaffolder?: boolean;
}): TestAppRenderResult & {
  /** The permission API's authorize, to read which permissions the card asked about. */
  authorize: jest.Mock;
  /** The entity the card was rendered for (named afresh for every render). */
  entity: Entity;
} {
  const decide = options.authorize ?? AuthorizeResult.ALLOW;
  const authorize = jest.fn(async (request: EvaluatePermissionRequest) => ({
    result: typeof decide === 'function' ? decide(request) : decide,
  }));
  const entity = freshEntity(options.entity ?? clusterEntity);
  const rendered = renderInTestApp(
    <TestApiProvider
      apis={[
        [capaApiRef, options.api],
        [permissionApiRef, { authorize }],
        mockApis.config({ data: options.config ?? {} }),
      ]}
    >
      {/* usePermission caches decisions in SWR's global cache; basic permissions have no
          resource ref to make them unique, so each render gets a cache of its own. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <EntityCapaClusterCard />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...(options.scaffolder
          ? {
              '/create/templates/:namespace/:templateName':
                scaffolderTemplateRouteRef,
            }
          : {}),
      },
    },
  );
  return { ...rendered, authorize, entity };
}
