import { ConfigReader } from '@backstage/config';

/** A config value, as ConfigReader takes it. */
type JsonValue = NonNullable<
  NonNullable<ConstructorParameters<typeof ConfigReader>[0]>[string]
>;
import { InputError } from '@backstage/errors';
import {
  readManagementClusters,
  validateServerUrl,
} from './readManagementClusters';

const CA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
).toString('base64');

function read(managementClusters: JsonValue) {
  return readManagementClusters(
    new ConfigReader({ capa: { managementClusters } }),
  );
}

function errorOf(managementClusters: JsonValue): InputError {
  try {
    read(managementClusters);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('readManagementClusters', () => {
  it('reads every kind of access', () => {
    expect(
      read([
        {
          name: 'kc',
          kubeconfig: { path: '/etc/capa/kubeconfig', context: 'mgmt' },
        },
        { name: 'local', inCluster: true },
        {
          name: 'tok',
          url: 'https://mgmt.example.com:6443/',
          caData: CA,
          token: 'abc',
        },
        {
          name: 'eks',
          url: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
          eks: {
            clusterName: 'mgmt',
            region: 'eu-west-1',
            roleArn: 'arn:aws:iam::999988887777:role/backstage',
            externalId: 'ext-1234',
          },
          aws: { roleArn: 'arn:aws:iam::999988887777:role/capa-verify' },
        },
      ]),
    ).toEqual([
      {
        name: 'kc',
        configKey: 'capa.managementClusters[0]',
        auth: {
          type: 'kubeconfig',
          path: '/etc/capa/kubeconfig',
          context: 'mgmt',
        },
      },
      {
        name: 'local',
        configKey: 'capa.managementClusters[1]',
        auth: { type: 'inCluster' },
      },
      {
        name: 'tok',
        configKey: 'capa.managementClusters[2]',
        auth: {
          type: 'token',
          url: 'https://mgmt.example.com:6443',
          caData: CA,
          token: 'abc',
          skipTLSVerify: false,
        },
      },
      {
        name: 'eks',
        configKey: 'capa.managementClusters[3]',
        auth: {
          type: 'eks',
          url: 'https://abcdef.gr7.eu-west-1.eks.amazonaws.com',
          caData: undefined,
          skipTLSVerify: false,
          clusterName: 'mgmt',
          region: 'eu-west-1',
          roleArn: 'arn:aws:iam::999988887777:role/backstage',
          externalId: 'ext-1234',
        },
        aws: {
          roleArn: 'arn:aws:iam::999988887777:role/capa-verify',
          externalId: undefined,
        },
      },
    ]);
  });

  it('gives an empty list when nothing is configured', () => {
    expect(readManagementClusters(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    [
      [{ name: 'a', inCluster: true, colour: 'blue' }],
      'capa.managementClusters[0].colour: unknown key',
    ],
    [
      [{ name: 'a', kubeconfig: { path: '/x', ctx: 'y' } }],
      'capa.managementClusters[0].kubeconfig.ctx: unknown key',
    ],
    [[{ inCluster: true }], 'capa.managementClusters[0].name: is required'],
    [
      [{ name: 'Not_A_Label', inCluster: true }],
      'capa.managementClusters[0].name: must be a DNS label',
    ],
    [
      [
        { name: 'a', inCluster: true },
        { name: 'a', inCluster: true },
      ],
      'capa.managementClusters[1].name: duplicate name "a" (also used by capa.managementClusters[0])',
    ],
    [
      [{ name: 'a' }],
      'capa.managementClusters[0]: management cluster "a" needs exactly one of kubeconfig, inCluster, token (with url) or eks (with url)',
    ],
    [
      [{ name: 'a', inCluster: true, kubeconfig: { path: '/x' } }],
      'management cluster "a" sets kubeconfig and inCluster; set exactly one',
    ],
    [
      [
        {
          name: 'a',
          url: 'https://x.example.com',
          token: 't',
          eks: { clusterName: 'c', region: 'eu-west-1' },
        },
      ],
      'sets token and eks',
    ],
    [
      [{ name: 'a', inCluster: false }],
      'capa.managementClusters[0].inCluster: must be true when set',
    ],
    [
      [{ name: 'a', token: 't' }],
      'capa.managementClusters[0].url: is required with token',
    ],
    [
      [{ name: 'a', inCluster: true, url: 'https://x.example.com' }],
      'capa.managementClusters[0].url: is not used with inCluster',
    ],
    [
      [{ name: 'a', kubeconfig: {} }],
      'capa.managementClusters[0].kubeconfig.path: is required',
    ],
    [
      [{ name: 'a', url: 'http://mgmt.example.com', token: 't' }],
      'capa.managementClusters[0].url: must use https (http is allowed only for a loopback address)',
    ],
    [
      [{ name: 'a', url: 'https://user:pw@mgmt.example.com', token: 't' }],
      'capa.managementClusters[0].url: must not contain a user name or password',
    ],
    [
      [{ name: 'a', url: 'ftp://mgmt.example.com', token: 't' }],
      'capa.managementClusters[0].url: must use https',
    ],
    [
      [{ name: 'a', url: 'not a url', token: 't' }],
      'capa.managementClusters[0].url: is not a valid URL',
    ],
    [
      [{ name: 'a', url: 'https://169.254.169.254', token: 't' }],
      'must not be a link-local or cloud metadata address',
    ],
    [
      [
        {
          name: 'a',
          url: 'https://x.example.com',
          token: 't',
          caData: 'bm90IGEgY2VydA==',
        },
      ],
      'capa.managementClusters[0].caData: must be base64-encoded PEM certificate data',
    ],
    [
      [
        {
          name: 'a',
          url: 'https://x.example.com',
          eks: { region: 'eu-west-1' },
        },
      ],
      'capa.managementClusters[0].eks.clusterName: is required',
    ],
    [
      [
        {
          name: 'a',
          url: 'https://x.example.com',
          eks: { clusterName: 'c', region: 'Europe' },
        },
      ],
      'capa.managementClusters[0].eks.region: must be an AWS region',
    ],
    [
      [
        {
          name: 'a',
          url: 'https://x.example.com',
          eks: {
            clusterName: 'c',
            region: 'eu-west-1',
            roleArn: 'arn:aws:iam::1:role/x',
          },
        },
      ],
      'capa.managementClusters[0].eks.roleArn: must be an IAM role ARN',
    ],
    [
      [
        {
          name: 'a',
          url: 'https://x.example.com',
          eks: { clusterName: 'c', region: 'eu-west-1', externalId: 'abc' },
        },
      ],
      'capa.managementClusters[0].eks.externalId: is only used with roleArn',
    ],
    [
      [{ name: 'a', inCluster: true, aws: { externalId: 'abc' } }],
      'capa.managementClusters[0].aws.externalId: is only used with roleArn',
    ],
    [
      [{ name: 'a', inCluster: true, aws: { role: 'x' } }],
      'capa.managementClusters[0].aws.role: unknown key',
    ],
    [
      [{ name: 'a', url: 'https://x.example.com', token: 7 }],
      'capa.managementClusters[0].token',
    ],
  ] as Array<[JsonValue, string]>)('rejects %j', (clusters, message) => {
    expect(errorOf(clusters).message).toContain(message);
  });

  it('never repeats secrets in its errors', () => {
    const token = 'super-secret-token-value';
    const messages = [
      errorOf([
        { name: 'a', url: `https://user:${token}@x.example.com`, token },
      ]).message,
      errorOf([{ name: 'a', url: 'http://x.example.com', token }]).message,
      errorOf([
        {
          name: 'a',
          url: 'https://x.example.com',
          token,
          caData: Buffer.from(token).toString('base64'),
        },
      ]).message,
    ];
    for (const m of messages) {
      expect(m).not.toContain(token);
      expect(m).not.toContain(Buffer.from(token).toString('base64'));
    }
  });

  it('accepts plain http to a loopback address only (local test servers)', () => {
    for (const url of [
      'http://127.0.0.1:6443',
      'http://localhost:8080',
      'http://[::1]:6443',
    ]) {
      expect(validateServerUrl(url, 'k').protocol).toBe('http:');
    }
    expect(() => validateServerUrl('http://10.0.0.1:6443', 'k')).toThrow(
      InputError,
    );
    expect(() => validateServerUrl('http://127.0.0.1.nip.io', 'k')).toThrow(
      InputError,
    );
  });
});
