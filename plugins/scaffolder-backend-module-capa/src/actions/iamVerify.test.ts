import { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import http from 'http';
import { AddressInfo } from 'net';
import { parse } from 'yaml';
import { createIamVerifyAction } from './iamVerify';
import { examples } from './iamVerify.examples';
import { decidingAuthorizer } from './__testUtils__/authorizer';

const MANAGER_ARN =
  'arn:aws:sts::999988887777:assumed-role/controllers.cluster-api-provider-aws.sigs.k8s.io/capa';
const MANAGER_KEY = {
  accessKeyId: 'AKIAMANAGEREXAMPLE',
  secretAccessKey: 'manager-secret-do-not-log',
};

interface FakeRole {
  trusts: string;
  externalId?: string;
  /** The account STS reports for sessions of this role (differs from the ARN to fake a mix-up). */
  account?: string;
}

/**
 * A local STS that speaks the AWS Query protocol (form-encoded requests, XML answers), so the real
 * @aws-sdk/client-sts is exercised end to end. Callers are told apart by their access key id.
 */
class FakeSts {
  readonly roles = new Map<string, FakeRole>();
  readonly identities = new Map<string, { arn: string; account: string }>([
    [MANAGER_KEY.accessKeyId, { arn: MANAGER_ARN, account: '999988887777' }],
  ]);
  readonly calls: Array<{
    action: string;
    accessKeyId: string;
    params: URLSearchParams;
  }> = [];
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => this.answer(req, body, res));
  });
  private sessions = 0;

  async start(): Promise<string> {
    await new Promise<void>(resolve =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close() {
    return new Promise(resolve => this.server.close(resolve));
  }

  private answer(
    req: http.IncomingMessage,
    body: string,
    res: http.ServerResponse,
  ) {
    const params = new URLSearchParams(body);
    const accessKeyId =
      /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const action = params.get('Action') ?? '';
    this.calls.push({ action, accessKeyId, params });
    const caller = this.identities.get(accessKeyId);
    if (!caller)
      return this.error(
        res,
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    if (action === 'GetCallerIdentity') {
      return this.ok(
        res,
        action,
        `<Arn>${caller.arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${caller.account}</Account>`,
      );
    }
    const roleArn = params.get('RoleArn')!;
    const role = this.roles.get(roleArn);
    if (
      !role ||
      role.trusts !== caller.arn ||
      role.externalId !== (params.get('ExternalId') ?? undefined)
    ) {
      return this.error(
        res,
        403,
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    const key = `ASIATENANT${++this.sessions}`;
    const account = role.account ?? roleArn.split(':')[4];
    const sessionArn = `arn:aws:sts::${account}:assumed-role/${roleArn
      .split('/')
      .pop()}/${params.get('RoleSessionName')}`;
    this.identities.set(key, { arn: sessionArn, account });
    return this.ok(
      res,
      action,
      `<Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>tenant-secret-do-not-log</SecretAccessKey><SessionToken>tenant-token-do-not-log</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${sessionArn}</Arn><AssumedRoleId>AROAEXAMPLE:x</AssumedRoleId></AssumedRoleUser>`,
    );
  }

  private ok(res: http.ServerResponse, action: string, result: string) {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`,
    );
  }

  private error(
    res: http.ServerResponse,
    status: number,
    code: string,
    message: string,
  ) {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`,
    );
  }
}

describe('capa:iam:verify', () => {
  const sts = new FakeSts();
  let endpoint: string;

  beforeAll(async () => {
    endpoint = await sts.start();
  });
  afterAll(() => sts.close());
  beforeEach(() => {
    sts.calls.length = 0;
    sts.roles.clear();
    sts.roles.set(
      'arn:aws:iam::111122223333:role/controllers.cluster-api-provider-aws.sigs.k8s.io',
      {
        trusts: MANAGER_ARN,
        externalId: 'acme-capa-7f3c9d',
      },
    );
    sts.roles.set('arn:aws:iam::444455556666:role/capa/controllers-globex', {
      trusts: MANAGER_ARN,
    });
  });

  const action = (credentials: unknown = MANAGER_KEY) =>
    createIamVerifyAction({
      authorizer: decidingAuthorizer(),
      managerCredentials: async () => credentials as any,
      stsClientConfig: { endpoint, maxAttempts: 1 },
    });

  async function run(input: JsonObject, credentials?: unknown) {
    const ctx = createMockActionContext({ input });
    const logs: string[] = [];
    for (const level of ['info', 'warn', 'error'] as const) {
      jest
        .spyOn(ctx.logger, level)
        .mockImplementation(((m: string) => logs.push(m)) as any);
    }
    const error = await action(credentials)
      .handler(ctx as any)
      .then(
        () => undefined,
        e => e as Error,
      );
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    const everything = JSON.stringify({ logs, out, message: error?.message });
    expect(everything).not.toMatch(/secret-do-not-log|token-do-not-log/);
    return { error, out, logs };
  }

  it.each(examples.map(e => [e.description, e.example]))(
    'example "%s" verifies',
    async (_d, example) => {
      const { error, out } = await run(parse(example).steps[0].input);
      expect(error).toBeUndefined();
      expect(out.managerArn).toBe(MANAGER_ARN);
      expect(out.accountId).toBe(parse(example).steps[0].input.accountId);
    },
  );

  it('walks the chain: manager identity, AssumeRole with the external id, tenant identity', async () => {
    const { out, logs } = await run({
      accountId: '111122223333',
      externalId: 'acme-capa-7f3c9d',
    });
    expect(sts.calls.map(c => c.action)).toEqual([
      'GetCallerIdentity',
      'AssumeRole',
      'GetCallerIdentity',
    ]);
    expect(sts.calls[1].params.get('ExternalId')).toBe('acme-capa-7f3c9d');
    expect(sts.calls[1].params.get('DurationSeconds')).toBe('900');
    expect(sts.calls[2].accessKeyId).toMatch(/^ASIATENANT/);
    expect(out.assumedRoleArn).toBe(
      'arn:aws:sts::111122223333:assumed-role/controllers.cluster-api-provider-aws.sigs.k8s.io/backstage-capa-verify',
    );
    expect(logs.join('\n')).toMatch(
      /Verified: .* can assume .* in account 111122223333/,
    );
  });

  it('names every possible cause when AssumeRole is denied (wrong external id)', async () => {
    const { error } = await run({
      accountId: '111122223333',
      externalId: 'wrong-id',
    });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toContain(
      `${MANAGER_ARN} may not assume arn:aws:iam::111122223333:role/`,
    );
    expect(error?.message).toMatch(
      /1\. the manager's IAM policy allows sts:AssumeRole/,
    );
    expect(error?.message).toMatch(
      /2\. the trust policy .* names the manager's controllers role/,
    );
    expect(error?.message).toMatch(
      /3\. the external id given here equals the sts:ExternalId/,
    );
    expect(error?.message).toMatch(
      /4\. the role exists in account 111122223333/,
    );
  });

  it('says that no external id was given when the trust policy may require one', async () => {
    const { error } = await run({ accountId: '111122223333' });
    expect(error?.message).toMatch(
      /3\. the trust policy requires no sts:ExternalId \(none was given here\)/,
    );
  });

  it('reports an account mismatch after assuming the role', async () => {
    sts.roles.set(
      'arn:aws:iam::222233334444:role/controllers.cluster-api-provider-aws.sigs.k8s.io',
      {
        trusts: MANAGER_ARN,
        account: '555566667777',
      },
    );
    const { error } = await run({ accountId: '222233334444' });
    expect(error?.message).toMatch(
      /belongs to account 555566667777, not the tenant account 222233334444/,
    );
  });

  it('reports invalid manager credentials as such', async () => {
    const { error } = await run(
      { accountId: '111122223333' },
      { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' },
    );
    expect(error?.message).toMatch(
      /manager's AWS access key is not valid .*InvalidClientTokenId/,
    );
    expect(sts.calls).toHaveLength(1);
  });

  it('reports missing manager credentials without calling STS', async () => {
    const missing = async () => {
      throw Object.assign(
        new Error('Could not load credentials from any providers'),
        { name: 'CredentialsProviderError' },
      );
    };
    const { error } = await run(
      { accountId: '111122223333', managementCluster: 'local' },
      missing,
    );
    expect(error?.message).toMatch(
      /No AWS credentials for the manager: the AWS credentials configured for management cluster "local"/,
    );
    expect(sts.calls).toHaveLength(0);
  });

  it('rejects bad input, naming each field, before any STS call', async () => {
    const { error } = await run({
      accountId: '12345',
      roleName: 'bad name!',
      externalId: 'x',
    });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(
      /accountId: must be a 12-digit AWS account id/,
    );
    expect(error?.message).toMatch(/roleName: must be an IAM role ARN/);
    expect(error?.message).toMatch(/externalId: must be 2-1224 characters/);
    expect(sts.calls).toHaveLength(0);
  });

  it('rejects a role ARN in another account than accountId', async () => {
    const { error } = await run({
      accountId: '111122223333',
      roleArn: 'arn:aws:iam::444455556666:role/x',
    });
    expect(error?.message).toMatch(
      /roleArn: is in account 444455556666, not accountId 111122223333/,
    );
    expect(sts.calls).toHaveLength(0);
  });
});
