import { forbiddenHostReason } from './serverAddress';
import { readTimeouts, RequestTimeouts } from './timeouts';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import net from 'net';

/**
 * How the backend authenticates to a management cluster.
 *
 * @public
 */
export type ManagementClusterAuth =
  | { type: 'kubeconfig'; path: string; context?: string }
  | { type: 'inCluster' }
  | {
      type: 'token';
      url: string;
      caData?: string;
      token: string;
      skipTLSVerify: boolean;
    }
  | {
      type: 'eks';
      url: string;
      caData?: string;
      skipTLSVerify: boolean;
      clusterName: string;
      region: string;
      roleArn?: string;
      externalId?: string;
    };

/**
 * One validated entry of `capa.managementClusters`. Holds secrets (token, CA data): never log it;
 * use {@link ManagementClusterInfo} for anything shown.
 *
 * @public
 */
export interface ManagementClusterConfig {
  name: string;
  /** Where it came from, for messages: `capa.managementClusters[2]`. */
  configKey: string;
  auth: ManagementClusterAuth;
  /** Credentials for the scaffolder's STS checks. */
  aws?: { roleArn?: string; externalId?: string };
  /** Timeouts of its outbound calls, where the config sets them. */
  timeouts?: Partial<RequestTimeouts>;
}

const ROOT_KEY = 'capa.managementClusters';
const CLUSTER_KEYS = [
  'name',
  'kubeconfig',
  'inCluster',
  'url',
  'caData',
  'token',
  'dangerouslySkipTLSVerify',
  'eks',
  'aws',
  'timeouts',
];
const AUTH_KINDS = ['kubeconfig', 'inCluster', 'token', 'eks'] as const;
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function fail(key: string, rule: string): never {
  throw new InputError(`Invalid config ${key}: ${rule}`);
}

function checkKeys(c: Config, key: string, known: string[]) {
  for (const k of c.keys()) {
    if (!known.includes(k))
      fail(
        `${key}.${k}`,
        `unknown key; the known keys are ${known.join(', ')}`,
      );
  }
}

/** Reads values through Config, turning its type errors (which name the key, never the value) into InputErrors. */
function read<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError((e as Error).message);
  }
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1';
  return false;
}

/**
 * Checks an API server URL before any credential is sent to it: https only (plain http only to a
 * loopback address, for local test servers), no user name or password, no query or fragment, no
 * link-local or cloud metadata address in any spelling (IPv4-mapped, NAT64, trailing dots,
 * metadata names, wildcard-DNS names that spell one). Throws an InputError naming `key`; the URL itself is never
 * repeated, as it may hold credentials.
 *
 * @public
 */
export function validateServerUrl(value: string, key: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(key, 'is not a valid URL');
  }
  if (url.username || url.password)
    fail(key, 'must not contain a user name or password');
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname))
      fail(key, 'must use https (http is allowed only for a loopback address)');
  } else if (url.protocol !== 'https:') {
    fail(key, 'must use https');
  }
  if (url.search || url.hash) fail(key, 'must not contain a query or fragment');
  const forbidden = forbiddenHostReason(url.hostname);
  if (forbidden) fail(key, forbidden);
  return url;
}

function readRoleAndExternalId(
  c: Config,
  key: string,
): { roleArn?: string; externalId?: string } {
  const roleArn = read(() => c.getOptionalString('roleArn'));
  const externalId = read(() => c.getOptionalString('externalId'));
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    fail(
      `${key}.roleArn`,
      'must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
    );
  }
  if (externalId !== undefined) {
    if (roleArn === undefined)
      fail(`${key}.externalId`, 'is only used with roleArn');
    if (!EXTERNAL_ID.test(externalId)) {
      fail(
        `${key}.externalId`,
        'must be 2 to 1224 characters of letters, digits and +=,.@:/-_',
      );
    }
  }
  return { roleArn, externalId };
}

function readCaData(c: Config, key: string): string | undefined {
  const caData = read(() => c.getOptionalString('caData'));
  if (caData === undefined) return undefined;
  const decoded = /^[A-Za-z0-9+/=\s]+$/.test(caData)
    ? Buffer.from(caData, 'base64').toString('utf8')
    : '';
  if (!decoded.includes('-----BEGIN CERTIFICATE-----')) {
    fail(`${key}.caData`, 'must be base64-encoded PEM certificate data');
  }
  return caData;
}

function readOne(c: Config, key: string): ManagementClusterConfig {
  checkKeys(c, key, CLUSTER_KEYS);
  const name = read(() => c.getOptionalString('name'));
  if (!name) fail(`${key}.name`, 'is required');
  if (!NAME.test(name)) {
    fail(
      `${key}.name`,
      'must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    );
  }
  const inCluster = read(() => c.getOptionalBoolean('inCluster'));
  if (inCluster === false)
    fail(
      `${key}.inCluster`,
      'must be true when set (remove it to use another kind of access)',
    );
  const present = {
    kubeconfig: c.has('kubeconfig'),
    inCluster: inCluster === true,
    token: c.has('token'),
    eks: c.has('eks'),
  };
  const kinds = AUTH_KINDS.filter(k => present[k]);
  if (kinds.length === 0) {
    fail(
      key,
      `management cluster "${name}" needs exactly one of kubeconfig, inCluster, token (with url) or eks (with url)`,
    );
  }
  if (kinds.length > 1) {
    fail(
      key,
      `management cluster "${name}" sets ${kinds.join(
        ' and ',
      )}; set exactly one of kubeconfig, inCluster, token or eks`,
    );
  }
  const kind = kinds[0];
  const usesUrl = kind === 'token' || kind === 'eks';
  for (const k of ['url', 'caData', 'dangerouslySkipTLSVerify']) {
    if (!usesUrl && c.has(k))
      fail(
        `${key}.${k}`,
        `is not used with ${kind}; the ${
          kind === 'kubeconfig' ? 'kubeconfig file' : 'service account'
        } says where the API server is`,
      );
  }

  let auth: ManagementClusterAuth;
  if (kind === 'kubeconfig') {
    const kc = read(() => c.getConfig('kubeconfig'));
    checkKeys(kc, `${key}.kubeconfig`, ['path', 'context']);
    const path = read(() => kc.getOptionalString('path'));
    if (!path) fail(`${key}.kubeconfig.path`, 'is required');
    const context = read(() => kc.getOptionalString('context'));
    auth = { type: 'kubeconfig', path, ...(context ? { context } : {}) };
  } else if (kind === 'inCluster') {
    auth = { type: 'inCluster' };
  } else {
    const urlValue = read(() => c.getOptionalString('url'));
    if (!urlValue) fail(`${key}.url`, `is required with ${kind}`);
    const url = validateServerUrl(urlValue, `${key}.url`)
      .toString()
      .replace(/\/$/, '');
    const caData = readCaData(c, key);
    const skipTLSVerify =
      read(() => c.getOptionalBoolean('dangerouslySkipTLSVerify')) ?? false;
    if (kind === 'token') {
      const token = read(() => c.getString('token'));
      if (!token.trim()) fail(`${key}.token`, 'must not be empty');
      auth = { type: 'token', url, caData, token, skipTLSVerify };
    } else {
      const eks = read(() => c.getConfig('eks'));
      checkKeys(eks, `${key}.eks`, [
        'clusterName',
        'region',
        'roleArn',
        'externalId',
      ]);
      const clusterName = read(() => eks.getOptionalString('clusterName'));
      if (!clusterName) fail(`${key}.eks.clusterName`, 'is required');
      if (!EKS_CLUSTER_NAME.test(clusterName)) {
        fail(
          `${key}.eks.clusterName`,
          'must be an EKS cluster name (letters, digits, "-" and "_", at most 100 characters)',
        );
      }
      const region = read(() => eks.getOptionalString('region'));
      if (!region) fail(`${key}.eks.region`, 'is required');
      if (!REGION.test(region))
        fail(`${key}.eks.region`, 'must be an AWS region such as eu-west-1');
      auth = {
        type: 'eks',
        url,
        caData,
        skipTLSVerify,
        clusterName,
        region,
        ...readRoleAndExternalId(eks, `${key}.eks`),
      };
    }
  }
  let aws: ManagementClusterConfig['aws'];
  if (c.has('aws')) {
    const a = read(() => c.getConfig('aws'));
    checkKeys(a, `${key}.aws`, ['roleArn', 'externalId']);
    aws = readRoleAndExternalId(a, `${key}.aws`);
  }
  const timeouts = readTimeouts(c, key);
  return {
    name,
    configKey: key,
    auth,
    ...(aws ? { aws } : {}),
    ...(timeouts ? { timeouts } : {}),
  };
}

/**
 * Reads and validates `capa.managementClusters`. Every rule broken throws an InputError naming the
 * config key and the rule (and never a secret value): unknown keys, missing or duplicate names,
 * none or several kinds of access, URLs that are not https (except to a loopback address) or that
 * embed credentials, malformed CA data, region or role ARN. An absent list gives `[]`.
 *
 * @public
 */
export function readManagementClusters(
  config: Config,
): ManagementClusterConfig[] {
  const entries = read(() => config.getOptionalConfigArray(ROOT_KEY)) ?? [];
  const seen = new Map<string, string>();
  return entries.map((c, i) => {
    const key = `${ROOT_KEY}[${i}]`;
    const cluster = readOne(c, key);
    const first = seen.get(cluster.name);
    if (first)
      fail(
        `${key}.name`,
        `duplicate name "${cluster.name}" (also used by ${first})`,
      );
    seen.set(cluster.name, key);
    return cluster;
  });
}
