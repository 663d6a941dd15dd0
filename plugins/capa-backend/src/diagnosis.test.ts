import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  KubernetesEvent,
  KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import request from 'supertest';
import { fakeCache, seededStore } from './__fixtures__/fleet';
import { capaPlugin } from './plugin';

const HOUR_AGO = new Date(Date.now() - 3600_000).toISOString();
const MINUTE_AGO = new Date(Date.now() - 60_000).toISOString();

/** An event as the controllers record it (core/v1, deprecated timestamps set). */
const event = (
  kind: string,
  name: string,
  reason: string,
  message: string,
  at: string,
  type = 'Warning',
): KubernetesEvent => ({
  involvedObject: { kind, name, namespace: 'globex' },
  reason,
  message,
  type,
  count: 3,
  firstTimestamp: HOUR_AGO,
  lastTimestamp: at,
});

// CAPA's session code words the refusal this way (pkg/cloud/scope/session.go).
const NOT_PERMITTED =
  'failed to create AWS session: Namespace is not permitted to use AWSClusterRoleIdentity: globex';

async function start(allowed = true) {
  const { store, secrets } = seededStore();
  // globex/dev was created an hour ago and CAPA has written nothing on its control plane since:
  // past no-aws-session's 10 minutes.
  const cluster = store
    .objects('Cluster')
    .find(o => o.metadata?.name === 'dev') as KubernetesObject;
  store.upsert('Cluster', {
    ...cluster,
    metadata: { ...cluster.metadata, creationTimestamp: HOUR_AGO as any },
  });
  const events = new Map([
    [
      'globex',
      [
        event('Cluster', 'dev', 'Progressing', 'older', HOUR_AGO),
        event(
          'AWSManagedControlPlane',
          'dev-control-plane',
          'FailedCreateAWSSession',
          NOT_PERMITTED,
          MINUTE_AGO,
        ),
        // Another cluster's object, and a Normal event: neither is this cluster's warning.
        event('Cluster', 'other', 'Failed', 'not ours', MINUTE_AGO),
        event('Cluster', 'dev', 'Created', 'fine', MINUTE_AGO, 'Normal'),
      ],
    ],
  ]);
  const fake = fakeCache([store], secrets, events);
  const { server } = await startTestBackend({
    features: [
      capaPlugin,
      fake.factory,
      mockServices.permissions.mock({
        authorize: jest.fn(async (requests: any[]) =>
          requests.map(() => ({
            result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          })),
        ) as any,
        authorizeConditional: jest.fn(async (requests: any[]) =>
          requests.map(() => ({
            result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          })),
        ) as any,
      }).factory,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  return { server, eventReads: fake.eventReads };
}

describe('diagnosis over HTTP', () => {
  it('flags a cluster stuck without an AWS session, in its view and in the fleet counts and filter', async () => {
    const { server } = await start();
    const view = await request(server).get(
      '/api/capa/clusters/local/globex/dev',
    );
    expect(view.status).toBe(200);
    expect(view.body.stuck).toMatchObject({
      cause: 'no-aws-session',
      since: HOUR_AGO,
    });
    expect(view.body.diagnosis.map((d: any) => d.cause)).toEqual([
      'no-aws-session',
    ]);
    expect(view.body.diagnosis[0].evidence[0]).toMatchObject({
      source: 'age',
      kind: 'Cluster',
      name: 'dev',
    });

    const all = await request(server).get('/api/capa/clusters?facets=true');
    expect(all.body.facets.cause).toEqual([
      { value: 'no-aws-session', count: 1 },
    ]);
    const row = all.body.items.find((c: any) => c.name === 'dev');
    expect(row.causes).toEqual(['no-aws-session']);
    for (const cause of ['no-aws-session', 'any']) {
      const only = await request(server).get(
        `/api/capa/clusters?cause=${cause}`,
      );
      expect(only.body.items.map((c: any) => c.name)).toEqual(['dev']);
    }
    const none = await request(server).get(
      '/api/capa/clusters?cause=quota-vpcs',
    );
    expect(none.body.items).toEqual([]);
    const bad = await request(server).get(
      '/api/capa/clusters?cause=Not%20A%20Cause',
    );
    expect(bad.status).toBe(400);
  });

  it("reads the namespace's warning events once, keeps the cluster's own newest first, and diagnoses from them", async () => {
    const { server, eventReads } = await start();
    const res = await request(server).get(
      '/api/capa/clusters/local/globex/dev/events',
    );
    expect(res.status).toBe(200);
    expect(eventReads).toEqual(['local/globex']);
    expect(res.body.truncated).toBe(false);
    expect(
      res.body.items.map((e: any) => [e.kind, e.name, e.reason, e.count]),
    ).toEqual([
      [
        'AWSManagedControlPlane',
        'dev-control-plane',
        'FailedCreateAWSSession',
        3,
      ],
      ['Cluster', 'dev', 'Progressing', 3],
    ]);
    // The events explain what the view could only call stuck.
    expect(res.body.diagnosis.map((d: any) => d.cause)).toEqual([
      'identity-namespace-not-allowed',
    ]);
    expect(res.body.diagnosis[0].evidence).toEqual([
      expect.objectContaining({
        source: 'event',
        kind: 'AWSManagedControlPlane',
        type: 'FailedCreateAWSSession',
        message: NOT_PERMITTED,
      }),
    ]);
  });

  it('reads no event for a caller who may not read the cluster', async () => {
    const { server, eventReads } = await start(false);
    const res = await request(server).get(
      '/api/capa/clusters/local/globex/dev/events',
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).not.toMatch(/permitted/);
    expect(eventReads).toEqual([]);
  });
});
