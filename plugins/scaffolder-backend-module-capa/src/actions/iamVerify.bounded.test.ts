import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import http from 'http';
import { AddressInfo } from 'net';
import { createIamVerifyAction } from './iamVerify';
import { decidingAuthorizer } from './__testUtils__/authorizer';

const MANAGER_KEY = {
  accessKeyId: 'AKIAMANAGEREXAMPLE',
  secretAccessKey: 'manager-secret-do-not-log',
};

/** An STS endpoint that accepts every request and never answers it. */
class HangingSts {
  requests = 0;
  private readonly server = http.createServer(req => {
    this.requests++;
    req.resume();
  });

  async start(): Promise<string> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise(r => this.server.close(r));
  }
}

describe('capa:iam:verify against an STS that never answers', () => {
  const sts = new HangingSts();
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await sts.start();
  });
  afterAll(() => sts.close());
  beforeEach(() => {
    sts.requests = 0;
  });

  async function run(signal?: AbortSignal) {
    const ctx = createMockActionContext({
      input: { accountId: '111122223333', managementCluster: 'mgmt' },
    });
    if (signal) (ctx as any).signal = signal;
    const action = createIamVerifyAction({
      authorizer: decidingAuthorizer(),
      managerCredentials: async () => MANAGER_KEY,
      // The management cluster's configured timeouts; retries stay on (the SDK's default 3).
      timeouts: name =>
        name === 'mgmt' ? { connectMs: 200, requestMs: 700 } : undefined,
      stsClientConfig: { endpoint },
    });
    const start = Date.now();
    const error = await action.handler(ctx as any).then(
      () => undefined,
      e => e as Error,
    );
    return { error, ms: Date.now() - start };
  }

  it('gives up after the request timeout, naming the call', async () => {
    const { error, ms } = await run();
    expect(ms).toBeLessThan(2500);
    expect(error?.name).toBe('ServiceUnavailableError');
    expect(error?.message).toBe(
      "STS did not answer GetCallerIdentity (the manager) within 0.7 s; check the network path to STS and the manager's credential source, then try again",
    );
    expect(sts.requests).toBeGreaterThanOrEqual(1);
  });

  it('stops at once when the task is cancelled, and makes no further call', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const { error, ms } = await run(controller.signal);
    expect(ms).toBeLessThan(600);
    expect(error?.name).toBe('CancelledError');
    expect(error?.message).toBe(
      'capa:iam:verify was cancelled during GetCallerIdentity (the manager); no further STS call is made',
    );
    const seen = sts.requests;
    expect(seen).toBe(1);
    await new Promise(r => setTimeout(r, 800));
    expect(sts.requests).toBe(seen);
  });
});
