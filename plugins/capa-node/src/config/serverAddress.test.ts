import {
  checkServerAddress,
  embeddedIpv4,
  forbiddenHostReason,
  isForbiddenAddress,
} from './serverAddress';
import { validateServerUrl } from './readManagementClusters';

describe('the metadata and link-local check on API server URLs', () => {
  it.each([
    ['dotted quad', 'https://169.254.169.254'],
    ['trailing dot', 'https://169.254.169.254./'],
    ['decimal', 'https://2852039166/'],
    ['octal', 'https://0251.0376.0251.0376/'],
    ['hex', 'https://0xa9fea9fe/'],
    ['IPv4-mapped IPv6', 'https://[::ffff:169.254.169.254]/'],
    ['IPv4-mapped IPv6 in hex', 'https://[::ffff:a9fe:a9fe]/'],
    ['IPv4-compatible IPv6', 'https://[::169.254.169.254]/'],
    ['NAT64', 'https://[64:ff9b::169.254.169.254]/'],
    ['local-use NAT64', 'https://[64:ff9b:1::a9fe:a9fe]/'],
    ['6to4', 'https://[2002:a9fe:a9fe::1]/'],
    ['IPv6 link-local', 'https://[fe80::1]/'],
    ['EC2 metadata over IPv6', 'https://[fd00:ec2::254]/'],
    ['GCP metadata name', 'https://metadata.google.internal/'],
    ['metadata name with a trailing dot', 'https://metadata.google.internal./'],
    ['EC2 instance-data name', 'https://instance-data.ec2.internal/'],
    ['wildcard DNS, dotted', 'https://169.254.169.254.nip.io/'],
    ['wildcard DNS, dashed', 'https://api-169-254-169-254.sslip.io/'],
    ['wildcard DNS, hex', 'https://a9fea9fe.nip.io/'],
    ['wildcard DNS, trailing dot', 'https://169.254.169.254.nip.io./'],
    ['Alibaba metadata', 'https://100.100.100.200/'],
  ])('refuses %s (%s)', (_form, url) => {
    expect(() =>
      validateServerUrl(url, 'capa.managementClusters[0].url'),
    ).toThrow(
      /capa\.managementClusters\[0\]\.url: must not be a (link-local|wildcard-DNS)/,
    );
  });

  it.each([
    'https://ABCDEF.gr7.us-east-1.eks.amazonaws.com',
    'https://10.0.0.1:6443',
    'https://[2001:db8::1]/',
    'https://mgmt.example.com.',
    'https://10.0.0.1.nip.io/',
  ])('accepts %s', url => {
    expect(() => validateServerUrl(url, 'k')).not.toThrow();
  });

  it('reads the IPv4 address of the IPv6 forms that reach IPv4 hosts', () => {
    expect(embeddedIpv4('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIpv4('64:ff9b::a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIpv4('2001:db8::1')).toBeUndefined();
    expect(embeddedIpv4('::1')).toBeUndefined();
    expect(isForbiddenAddress('::1')).toBe(false);
    expect(forbiddenHostReason('[::ffff:7f00:1]')).toBeUndefined();
  });
});

describe('checkServerAddress', () => {
  it('refuses a name that resolves to a metadata address, before any request', async () => {
    const lookup = jest.fn(async () => [
      { address: '10.0.0.5' },
      { address: '169.254.169.254' },
    ]);
    await expect(
      checkServerAddress('eu', 'https://api.rebind.example.com:6443', lookup),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'management cluster "eu": its API server name api.rebind.example.com resolves to a link-local or cloud metadata address; nothing was sent to it',
    });
    expect(lookup).toHaveBeenCalledWith('api.rebind.example.com');
  });

  it('accepts a name that resolves elsewhere and does not look up IP addresses', async () => {
    const lookup = jest.fn(async () => [{ address: '10.0.0.5' }]);
    await expect(
      checkServerAddress('eu', 'https://api.example.com', lookup),
    ).resolves.toBeUndefined();
    await expect(
      checkServerAddress('eu', 'http://127.0.0.1:6443', lookup),
    ).resolves.toBeUndefined();
    expect(lookup).toHaveBeenCalledTimes(1);
  });
});
