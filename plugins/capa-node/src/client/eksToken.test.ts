import { createHash, createHmac } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';
import {
  assumeRoleCredentials,
  cachedCredentials,
  createEksToken,
  EKS_TOKEN_PREFIX,
  EksTokenProvider,
  stsHostname,
} from './eksToken';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};

function decode(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  // base64url without padding: no '+', '/' or '='.
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

const rfc3986 = (v: string) =>
  encodeURIComponent(v).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * Recomputes the SigV4 signature from the AWS specification (independently of the signer used by
 * the code), with the given value of the x-k8s-aws-id header.
 */
function expectedSignature(
  url: URL,
  clusterName: string,
  secret: string,
): string {
  const params = [...url.searchParams].filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a], [b]) => Number(a > b) - Number(a < b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders')!;
  const canonicalHeaders = `host:${url.host}\nx-k8s-aws-id:${clusterName}\n`;
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const date = url.searchParams.get('X-Amz-Date')!;
  const [, scopeDate, region, service] = url.searchParams
    .get('X-Amz-Credential')!
    .split('/');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data).digest();
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secret}`, scopeDate), region), service),
    'aws4_request',
  );
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('createEksToken', () => {
  it('presigns a regional STS GetCallerIdentity URL bound to the cluster by a signed x-k8s-aws-id header', async () => {
    const token = await createEksToken({
      clusterName: 'mgmt',
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      signingDate: new Date('2026-11-25T10:00:00Z'),
    });
    const url = decode(token);
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Date')).toBe('20261125T100000Z');
    expect(q.get('X-Amz-Credential')).toBe(
      'AKIDEXAMPLE/20261125/eu-west-1/sts/aws4_request',
    );
    expect(q.get('X-Amz-Security-Token')).toBe('session-token-example');
    expect(q.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    // The cluster name travels as a signed header, not as a query parameter.
    expect(q.has('x-k8s-aws-id')).toBe(false);
    expect(q.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'mgmt', CREDENTIALS.secretAccessKey),
    );
    expect(q.get('X-Amz-Signature')).not.toBe(
      expectedSignature(url, 'other-cluster', CREDENTIALS.secretAccessKey),
    );
  });

  it('uses the China partition host for cn- regions', () => {
    expect(stsHostname('cn-north-1')).toBe('sts.cn-north-1.amazonaws.com.cn');
    expect(stsHostname('us-gov-west-1')).toBe(
      'sts.us-gov-west-1.amazonaws.com',
    );
  });
});

describe('EksTokenProvider', () => {
  it('reuses a token for 10 minutes, then signs a new one', async () => {
    let now = Date.parse('2026-11-25T10:00:00Z');
    const credentials = jest.fn(async () => ({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
    }));
    const provider = new EksTokenProvider({
      clusterName: 'mgmt',
      region: 'eu-west-1',
      credentials,
      now: () => now,
    });
    const first = await provider.getToken();
    now += 9 * 60 * 1000;
    expect(await provider.getToken()).toBe(first);
    now += 2 * 60 * 1000;
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get('X-Amz-Date')).toBe(
      '20261125T101100Z',
    );
  });

  it('signs a new token before the credentials it used expire', async () => {
    let now = Date.parse('2026-11-25T10:00:00Z');
    const credentials = jest.fn(async () => ({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date(now + 3 * 60 * 1000),
    }));
    const provider = new EksTokenProvider({
      clusterName: 'mgmt',
      region: 'eu-west-1',
      credentials,
      now: () => now,
    });
    const first = await provider.getToken();
    now += 60 * 1000;
    expect(await provider.getToken()).toBe(first);
    now += 90 * 1000;
    expect(await provider.getToken()).not.toBe(first);
    expect(credentials).toHaveBeenCalledTimes(2);
  });
});

describe('cachedCredentials', () => {
  it('caches until shortly before expiry and shares one refresh between concurrent callers', async () => {
    let now = 0;
    let n = 0;
    const source = jest.fn(async () => ({
      accessKeyId: `AKID${++n}`,
      secretAccessKey: 's',
      expiration: new Date(now + 60 * 60 * 1000),
    }));
    const cached = cachedCredentials(source, { now: () => now });
    const [a, b] = await Promise.all([cached(), cached()]);
    expect(a).toBe(b);
    expect(source).toHaveBeenCalledTimes(1);
    now += 50 * 60 * 1000;
    expect((await cached()).accessKeyId).toBe('AKID1');
    now += 6 * 60 * 1000;
    expect((await cached()).accessKeyId).toBe('AKID2');
  });

  it('tries again after a failure', async () => {
    const source = jest
      .fn()
      .mockRejectedValueOnce(
        Object.assign(new Error('no credentials'), {
          name: 'CredentialsProviderError',
        }),
      )
      .mockResolvedValueOnce({ accessKeyId: 'AKID', secretAccessKey: 's' });
    const cached = cachedCredentials(source);
    await expect(cached()).rejects.toThrow('no credentials');
    expect((await cached()).accessKeyId).toBe('AKID');
  });
});

describe('assumeRoleCredentials', () => {
  it('calls STS AssumeRole once with the role, external id and session name, signed with the base credentials', async () => {
    const requests: Array<{ body: string; authorization?: string }> = [];
    const sts = http.createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        requests.push({ body, authorization: req.headers.authorization });
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAASSUMED</AccessKeyId>
      <SecretAccessKey>assumed-secret</SecretAccessKey>
      <SessionToken>assumed-session</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:backstage-capa</AssumedRoleId>
      <Arn>arn:aws:sts::111122223333:assumed-role/capa/backstage-capa</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
      });
    });
    await new Promise<void>(resolve =>
      sts.listen(0, '127.0.0.1', () => resolve()),
    );
    try {
      const credentials = assumeRoleCredentials({
        base: async () => ({
          accessKeyId: 'AKIDBASE',
          secretAccessKey: 'base-secret',
        }),
        roleArn: 'arn:aws:iam::111122223333:role/capa',
        externalId: 'ext-1234',
        region: 'eu-west-1',
        stsClientConfig: {
          endpoint: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`,
        },
      });
      const first = await credentials();
      const second = await credentials();
      expect(first).toMatchObject({
        accessKeyId: 'ASIAASSUMED',
        sessionToken: 'assumed-session',
      });
      expect(second).toBe(first);
      expect(requests).toHaveLength(1);
      const params = new URLSearchParams(requests[0].body);
      expect(Object.fromEntries(params)).toMatchObject({
        Action: 'AssumeRole',
        RoleArn: 'arn:aws:iam::111122223333:role/capa',
        ExternalId: 'ext-1234',
        RoleSessionName: 'backstage-capa',
      });
      expect(requests[0].authorization).toContain('Credential=AKIDBASE/');

      // An EKS token made with them carries the assumed role's key and session.
      const provider = new EksTokenProvider({
        clusterName: 'mgmt',
        region: 'eu-west-1',
        credentials,
      });
      const url = decode(await provider.getToken());
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(
        /^ASIAASSUMED\//,
      );
      expect(url.searchParams.get('X-Amz-Security-Token')).toBe(
        'assumed-session',
      );
      expect(requests).toHaveLength(1);
    } finally {
      await new Promise(resolve => sts.close(resolve));
    }
  });
});
