/**
 * Single-value rules. Each regular expression is anchored and each message names the rule, so a
 * field path plus this message tells a template author exactly what to change.
 */

/** RFC 1123 label: namespaces, cluster names, node pool names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_RULE =
  'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';

/** RFC 1123 subdomain: cluster-scoped object names. */
export const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS_SUBDOMAIN_RULE =
  'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';

/** A 12-digit AWS account id. @public */
export const ACCOUNT_ID = /^\d{12}$/;
/** @public */
export const ACCOUNT_ID_RULE = 'must be a 12-digit AWS account id';

/** IAM role and user names (the part after the last "/"). */
export const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
export const IAM_NAME_RULE =
  'must be an IAM name: 1-64 characters of letters, digits and + = , . @ _ -';

/** arn:<partition>:iam::<account>:<role|user>/<optional path/><name>; groups 1-3: partition, account, name. */
function iamArnPattern(kind: 'role' | 'user'): RegExp {
  return new RegExp(
    `^arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):${kind}/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]{1,64})$`,
  );
}
/** IAM role ARNs; groups 1-3: partition, account, role name. @public */
export const ROLE_ARN = iamArnPattern('role');
/** IAM user ARNs; groups 1-3: partition, account, user name. @public */
export const USER_ARN = iamArnPattern('user');
/** @public */
export const ROLE_ARN_RULE =
  'must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name>';
/** @public */
export const USER_ARN_RULE =
  'must be an IAM user ARN: arn:<partition>:iam::<12-digit account>:user/<name>';

/** sts:ExternalId: 2-1224 characters. @public */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** @public */
export const EXTERNAL_ID_RULE =
  'must be 2-1224 characters of letters, digits and + = , . @ : / _ -';

/** sts:RoleSessionName: 2-64 characters. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
export const SESSION_NAME_RULE =
  'must be 2-64 characters of letters, digits and + = , . @ _ -';

/** EC2 instance types such as t3.large, m7g.2xlarge, u-6tb1.metal. */
export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
export const INSTANCE_TYPE_RULE =
  'must be an EC2 instance type such as "t3.large" (family "." size)';

/** EKS cluster names: 1-100 characters, a letter or digit first. */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
export const EKS_CLUSTER_NAME_RULE =
  'must be an EKS cluster name: 1-100 letters, digits, "-" and "_", starting with a letter or digit';

/** EKS add-on versions, e.g. v1.19.2-eksbuild.1. */
export const ADDON_VERSION = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/;
export const ADDON_VERSION_RULE =
  'must be an EKS add-on version such as "v1.19.2-eksbuild.1"';

/** OIDC provider id of an EKS cluster: 32 hex characters (upper case as EKS prints it). */
export const OIDC_PROVIDER_ID = /^[0-9A-Fa-f]{32}$/;
export const OIDC_PROVIDER_ID_RULE =
  "must be the 32 hexadecimal characters at the end of the EKS cluster's OIDC issuer URL";

/** AWS tag keys and values (EC2/EKS rules). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export function tagKeyProblem(key: string): string | undefined {
  if (key.length < 1 || key.length > 128)
    return 'tag keys must be 1-128 characters';
  if (key.toLowerCase().startsWith('aws:'))
    return 'tag keys must not start with "aws:" (reserved by AWS)';
  if (!TAG_CHARS.test(key))
    return 'tag keys may hold only letters, digits, spaces and _ . : / = + - @';
  return undefined;
}
export function tagValueProblem(value: string): string | undefined {
  if (value.length > 256) return 'tag values must be at most 256 characters';
  if (!TAG_CHARS.test(value))
    return 'tag values may hold only letters, digits, spaces and _ . : / = + - @';
  return undefined;
}

/** Kubernetes label keys: optional DNS subdomain prefix + "/" + name of up to 63 characters. */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
  ) {
    return 'label key prefix must be a DNS-1123 subdomain of at most 253 characters';
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return 'label key name must be 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
    return 'label values must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/**
 * Parses an IPv4 or IPv6 CIDR and returns a problem, or undefined when it is a valid network
 * address with no host bits set.
 */
export function cidrProblem(
  cidr: string,
  opts?: { minPrefix?: number; maxPrefix?: number; ipv4Only?: boolean },
): string | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return 'must be a CIDR block such as 10.0.0.0/16';
  const prefix = Number(m[2]);
  const bits =
    parseIPv4(m[1]) ?? (opts?.ipv4Only ? undefined : parseIPv6(m[1]));
  if (!bits) {
    return opts?.ipv4Only
      ? 'must be an IPv4 CIDR block such as 10.0.0.0/16'
      : 'must be a CIDR block with a valid IPv4 or IPv6 address';
  }
  if (prefix > bits.length)
    return `prefix length must be at most ${bits.length}`;
  if (opts?.minPrefix !== undefined && prefix < opts.minPrefix) {
    return `prefix length must be between /${opts.minPrefix} and /${opts.maxPrefix}`;
  }
  if (opts?.maxPrefix !== undefined && prefix > opts.maxPrefix) {
    return `prefix length must be between /${opts.minPrefix} and /${opts.maxPrefix}`;
  }
  if (bits.slice(prefix).includes('1')) {
    return 'host bits must be zero (use the network address)';
  }
  return undefined;
}

function parseIPv4(s: string): string | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let bits = '';
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    bits += Number(p).toString(2).padStart(8, '0');
  }
  return bits;
}

function parseIPv6(s: string): string | undefined {
  if (!/^[0-9A-Fa-f:]+$/.test(s) || s.split('::').length > 2) return undefined;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [
    ...h,
    ...Array(tail === undefined ? 0 : missing).fill('0'),
    ...t,
  ];
  if (groups.some(g => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
  return groups
    .map(g => parseInt(g, 16).toString(2).padStart(16, '0'))
    .join('');
}
