import { stringify } from 'yaml';
import { userKubeconfigProblem } from './userKubeconfig';

const CAPA_EXEC = {
  exec: {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', 'acme-prod'],
    env: null,
    provideClusterInfo: false,
  },
};

/**
 * A user kubeconfig as CAPA's clientcmd.Write produces it (aws CLI token method), with the user's
 * credentials section (CAPA's exec by default) and cluster fields changed.
 */
function capaUserKubeconfig(user: object = CAPA_EXEC, cluster: object = {}) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'acme-prod',
        cluster: {
          server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
          'certificate-authority-data': 'Q0E=',
          ...cluster,
        },
      },
    ],
    contexts: [
      {
        name: 'acme-prod-user@acme-prod',
        context: { cluster: 'acme-prod', user: 'acme-prod-user' },
      },
    ],
    'current-context': 'acme-prod-user@acme-prod',
    users: [
      {
        name: 'acme-prod-user',
        user,
      },
    ],
  });
}

const exec = (changes: object) => ({
  exec: {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', 'acme-prod'],
    ...changes,
  },
});

describe('userKubeconfigProblem (allow-list)', () => {
  it('serves what CAPA writes, with either token method', () => {
    expect(userKubeconfigProblem(capaUserKubeconfig())).toBeUndefined();
    expect(
      userKubeconfigProblem(
        capaUserKubeconfig(
          exec({
            command: 'aws-iam-authenticator',
            args: ['token', '-i', 'acme-prod'],
          }),
        ),
      ),
    ).toBeUndefined();
    expect(
      userKubeconfigProblem(
        capaUserKubeconfig(
          exec({
            args: [
              'eks',
              'get-token',
              '--cluster-name',
              'acme-prod',
              '--region',
              'eu-west-1',
              '--role-arn',
              'arn:aws:iam::111122223333:role/acme-admin',
            ],
          }),
        ),
      ),
    ).toBeUndefined();
  });

  it.each([
    ['a token', { token: 'k8s-aws-v1.abc' }, /carries "token"/],
    ['a token file', { tokenFile: './token-file' }, /carries "tokenFile"/],
    [
      'a client key',
      { 'client-key-data': 'S0VZ' },
      /carries "client-key-data"/,
    ],
    [
      'a client certificate',
      { 'client-certificate-data': 'Q0VSVA==' },
      /carries "client-certificate-data"/,
    ],
    [
      'a password',
      { username: 'admin', password: 'p' },
      /carries "username", "password"/,
    ],
    [
      'an auth-provider',
      { 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } },
      /carries "auth-provider"/,
    ],
    ['impersonation', { as: 'system:admin' }, /carries "as"/],
    [
      'environment variables for the plugin',
      exec({ env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalr' }] }),
      /sets environment variables/,
    ],
    [
      'another command',
      exec({ command: 'sh', args: ['-c', 'curl x | sh'] }),
      /runs "sh"/,
    ],
    ['a path to aws', exec({ command: '/tmp/aws' }), /runs "\/tmp\/aws"/],
    [
      'aws doing something else',
      exec({ args: ['s3', 'cp', 's3://x', '.'] }),
      /without "eks get-token"/,
    ],
    [
      'an unknown flag',
      exec({ args: ['eks', 'get-token', '--endpoint-url', 'https://evil'] }),
      /"--endpoint-url", which is not allowed/,
    ],
    [
      'a value with shell syntax',
      exec({ args: ['eks', 'get-token', '--cluster-name', 'x; rm -rf /'] }),
      /--cluster-name without a plain value/,
    ],
    ['no exec at all', {}, /has no exec credential plugin/],
  ])('refuses %s', (_case, user, reason) => {
    // Credentials come beside the exec plugin, or instead of it.
    const withExec = 'exec' in user ? user : { ...CAPA_EXEC, ...user };
    const section = /no exec/.test(String(reason)) ? {} : withExec;
    expect(userKubeconfigProblem(capaUserKubeconfig(section))).toMatch(reason);
  });

  it('refuses cluster entries that skip TLS or point elsewhere than https', () => {
    expect(
      userKubeconfigProblem(
        capaUserKubeconfig(CAPA_EXEC, { 'insecure-skip-tls-verify': true }),
      ),
    ).toMatch(/sets insecure-skip-tls-verify/);
    expect(
      userKubeconfigProblem(
        capaUserKubeconfig(CAPA_EXEC, { server: 'http://x' }),
      ),
    ).toMatch(/has no https server/);
  });

  it('refuses what is not a kubeconfig', () => {
    expect(userKubeconfigProblem('{')).toBe('it is not valid YAML');
    expect(userKubeconfigProblem('users: []')).toBe('it has no users');
    expect(userKubeconfigProblem('hello')).toBe('it is not a kubeconfig');
  });
});
