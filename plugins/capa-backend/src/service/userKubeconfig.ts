import { parse } from 'yaml';

/**
 * The user kubeconfig is served to anyone allowed to take it and then run by their kubectl, so it
 * is checked against an allow-list of exactly what CAPA writes into `<cluster>-user-kubeconfig`
 * (pkg/cloud/services/eks/config.go): per user an `exec` credential plugin running `aws eks
 * get-token` or `aws-iam-authenticator token`, and per cluster a server and its CA. Anything else
 * (a token, a client key, a password, an auth-provider, environment variables for the plugin, a
 * different command) is refused, whoever put it there.
 */

const USER_KEYS = new Set(['exec']);
const EXEC_KEYS = new Set([
  'apiVersion',
  'command',
  'args',
  'env',
  'interactiveMode',
  'provideClusterInfo',
  'installHint',
]);
const EXEC_API_VERSIONS = new Set([
  'client.authentication.k8s.io/v1beta1',
  'client.authentication.k8s.io/v1',
]);
const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority-data',
  'tls-server-name',
]);
/** A flag value: no spaces, quotes or shell syntax. */
const VALUE = /^[A-Za-z0-9_.:/@+=,-]{1,256}$/;

/** The flags each credential plugin may get, each followed by a value. */
const COMMANDS: Record<string, { prefix: string[]; flags: Set<string> }> = {
  aws: {
    prefix: ['eks', 'get-token'],
    flags: new Set([
      '--cluster-name',
      '--cluster-id',
      '--region',
      '--role-arn',
      '--output',
    ]),
  },
  'aws-iam-authenticator': {
    prefix: ['token'],
    flags: new Set(['-i', '--cluster-id', '-r', '--role', '--region']),
  },
};

const isMap = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

function execProblem(exec: unknown): string | undefined {
  if (!isMap(exec)) return 'has no exec credential plugin';
  const extra = Object.keys(exec).filter(k => !EXEC_KEYS.has(k));
  if (extra.length)
    return `has exec fields that are not allowed: ${extra.join(', ')}`;
  if (!EXEC_API_VERSIONS.has(String(exec.apiVersion)))
    return 'has an exec apiVersion that is not client.authentication.k8s.io/v1 or v1beta1';
  if (exec.env !== undefined && exec.env !== null) {
    if (!Array.isArray(exec.env) || exec.env.length > 0)
      return 'sets environment variables for its credential plugin';
  }
  const command = String(exec.command);
  const allowed = COMMANDS[command];
  if (!allowed)
    return `runs "${command}"; only aws (eks get-token) and aws-iam-authenticator (token) are allowed`;
  const args = exec.args ?? [];
  if (!Array.isArray(args) || args.some(a => typeof a !== 'string'))
    return 'has exec args that are not a list of strings';
  const rest = args.slice(allowed.prefix.length);
  if (allowed.prefix.some((p, i) => args[i] !== p))
    return `runs ${command} without "${allowed.prefix.join(' ')}"`;
  for (let i = 0; i < rest.length; i += 2) {
    if (!allowed.flags.has(rest[i]))
      return `passes ${command} the argument "${rest[i]}", which is not allowed`;
    if (i + 1 >= rest.length || !VALUE.test(rest[i + 1]))
      return `passes ${command} ${rest[i]} without a plain value`;
  }
  return undefined;
}

/**
 * Why a user kubeconfig must not be served, or undefined when it may. The reason names the user
 * or cluster entry and the rule, never a value that could be a secret.
 */
export function userKubeconfigProblem(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return 'it is not valid YAML';
  }
  if (!isMap(doc)) return 'it is not a kubeconfig';
  const users = doc.users;
  if (!Array.isArray(users) || users.length === 0) return 'it has no users';
  for (const [i, entry] of users.entries()) {
    const name =
      isMap(entry) && typeof entry.name === 'string' ? entry.name : `#${i + 1}`;
    const user = isMap(entry) ? entry.user : undefined;
    if (!isMap(user)) return `user "${name}" has no credentials section`;
    const extra = Object.keys(user).filter(k => !USER_KEYS.has(k));
    if (extra.length)
      return `user "${name}" carries ${extra
        .map(k => `"${k}"`)
        .join(', ')}; only an exec credential plugin is allowed`;
    const problem = execProblem(user.exec);
    if (problem) return `user "${name}" ${problem}`;
  }
  const clusters = Array.isArray(doc.clusters) ? doc.clusters : [];
  for (const [i, entry] of clusters.entries()) {
    const name =
      isMap(entry) && typeof entry.name === 'string' ? entry.name : `#${i + 1}`;
    const cluster = isMap(entry) ? entry.cluster : undefined;
    if (!isMap(cluster)) return `cluster "${name}" has no cluster section`;
    const extra = Object.keys(cluster).filter(k => !CLUSTER_KEYS.has(k));
    if (extra.length)
      return `cluster "${name}" sets ${extra.join(', ')}, which is not allowed`;
    if (
      typeof cluster.server !== 'string' ||
      !cluster.server.startsWith('https://')
    )
      return `cluster "${name}" has no https server`;
  }
  return undefined;
}
