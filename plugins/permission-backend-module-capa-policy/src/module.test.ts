import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { capaPlatformManagePermission } from '@capa-backstage/plugin-capa-common';
import request from 'supertest';
import permissionModuleCapaPolicy from '.';

/** Ownership refs per user, as sign-in would resolve them from the catalog. */
const OWNERSHIP: Record<string, string[]> = {
  'user:default/guest': ['user:default/guest', 'group:default/platform-team'],
  'user:default/acme-dev': ['user:default/acme-dev', 'group:default/team-acme'],
};

const userInfo = mockServices.userInfo.mock({
  getUserInfo: async credentials => {
    const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
    return {
      userEntityRef,
      ownershipEntityRefs: OWNERSHIP[userEntityRef] ?? [userEntityRef],
    };
  },
});

async function start(config: object = {}) {
  return startTestBackend({
    features: [
      permissionPlugin,
      permissionModuleCapaPolicy,
      userInfo.factory,
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true }, ...config },
      }),
    ],
  });
}

async function authorize(
  server: Awaited<ReturnType<typeof start>>['server'],
  userEntityRef: string,
) {
  const res = await request(server)
    .post('/api/permission/authorize')
    .set('authorization', mockCredentials.user.header(userEntityRef))
    .send({
      items: [
        {
          id: '1',
          permission: {
            type: capaPlatformManagePermission.type,
            name: capaPlatformManagePermission.name,
            attributes: capaPlatformManagePermission.attributes,
          },
        },
      ],
    });
  expect(res.status).toBe(200);
  return res.body.items[0].result;
}

describe('permissionModuleCapaPolicy', () => {
  it('is the permission backend policy: platform members only hold capa.platform.manage', async () => {
    const { server } = await start();
    expect(await authorize(server, 'user:default/guest')).toBe('ALLOW');
    expect(await authorize(server, 'user:default/acme-dev')).toBe('DENY');
  });

  it('reads the platform groups from config', async () => {
    const { server } = await start({
      capa: {
        permissionPolicy: { platformGroups: ['group:default/team-acme'] },
      },
    });
    expect(await authorize(server, 'user:default/guest')).toBe('DENY');
    expect(await authorize(server, 'user:default/acme-dev')).toBe('ALLOW');
  });

  it('stops the backend from starting on bad config, naming the key', async () => {
    await expect(
      start({ capa: { permissionPolicy: { platformGroups: [] } } }),
    ).rejects.toThrow(
      'Invalid config capa.permissionPolicy.platformGroups: must name at least one group',
    );
  });
});
