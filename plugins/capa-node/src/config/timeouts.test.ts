import { ConfigReader } from '@backstage/config';
import { readManagementClusters } from './readManagementClusters';
import { DEFAULT_REQUEST_TIMEOUTS, resolveTimeouts } from './timeouts';

const read = (timeouts: unknown) =>
  readManagementClusters(
    new ConfigReader({
      capa: {
        managementClusters: [
          {
            name: 'mgmt',
            url: 'https://mgmt.example.com',
            token: 't',
            timeouts,
          },
        ],
      },
    } as never),
  )[0];

describe('timeouts of a management cluster', () => {
  it('reads durations as objects or strings', () => {
    expect(read({ connect: { seconds: 5 }, request: '2m' }).timeouts).toEqual({
      connectMs: 5000,
      requestMs: 120_000,
    });
    expect(read({ request: '500ms' }).timeouts).toEqual({ requestMs: 500 });
  });

  it('leaves them out when not configured, and falls back to the options, then the defaults', () => {
    const mc = readManagementClusters(
      new ConfigReader({
        capa: {
          managementClusters: [
            { name: 'mgmt', url: 'https://mgmt.example.com', token: 't' },
          ],
        },
      }),
    )[0];
    expect(mc.timeouts).toBeUndefined();
    expect(resolveTimeouts(mc.timeouts, {})).toEqual(DEFAULT_REQUEST_TIMEOUTS);
    expect(resolveTimeouts(mc.timeouts, { requestMs: 5000 })).toEqual({
      connectMs: 5000,
      requestMs: 5000,
    });
    expect(
      resolveTimeouts(
        { requestMs: 8000 },
        { requestMs: 5000, connectMs: 1000 },
      ),
    ).toEqual({ connectMs: 1000, requestMs: 8000 });
  });

  it.each([
    [
      { connect: 'soon' },
      "capa.managementClusters[0].timeouts.connect: must be a duration such as { seconds: 30 } or '30s'",
    ],
    [
      { request: { hours: 1 } },
      'capa.managementClusters[0].timeouts.request: must be between 100 milliseconds and 10 minutes',
    ],
    [
      { request: '10ms' },
      'capa.managementClusters[0].timeouts.request: must be between 100 milliseconds and 10 minutes',
    ],
    [
      { connect: '40s' },
      'capa.managementClusters[0].timeouts.connect: must not be longer than the request timeout (30 s), which includes connecting',
    ],
    [
      { read: '1s' },
      'capa.managementClusters[0].timeouts.read: unknown key; the known keys are connect, request',
    ],
    [
      '30s',
      'capa.managementClusters[0].timeouts: must be an object with connect and/or request',
    ],
  ])('refuses %j, naming the key', (timeouts, message) => {
    expect(() => read(timeouts)).toThrow(`Invalid config ${message}`);
  });
});
