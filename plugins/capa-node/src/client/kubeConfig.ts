import {
  AuthenticationError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { KubeConfig, User } from '@kubernetes/client-node';
import type { ManagementClusterConfig } from '../config/readManagementClusters';
import { validateServerUrl } from '../config/readManagementClusters';
import type { ClientNodeModule } from './loadClientNode';

/** The auth-provider name of users whose bearer token is an EKS token made by this package. */
const EKS_AUTH_PROVIDER = 'capa-eks-iam-token';

/**
 * Names inside a KubeConfig for one management cluster. client-node caches exec tokens and HTTPS
 * agents by cluster and user name, so two management clusters must never share names (two
 * kubeconfig files both calling their entries "default" would otherwise mix credentials).
 */
export function kubeConfigNames(cluster: string) {
  return {
    cluster: `capa-${cluster}-cluster`,
    user: `capa-${cluster}-user`,
    context: `capa-${cluster}`,
  };
}

/**
 * Plain HTTP is only accepted (by the config reader) for loopback test servers; client-node refuses
 * http: clusters unless skipTLSVerify is set, and there is no TLS to verify on them.
 */
function needsSkipTls(server: string, configured: boolean): boolean {
  return configured || server.startsWith('http:');
}

/**
 * Builds the KubeConfig of one management cluster from its config entry, with names unique to it.
 * Errors name the config key and never quote the kubeconfig file, token or CA data.
 */
export function buildKubeConfig(
  k8s: ClientNodeModule,
  mc: ManagementClusterConfig,
  options: { eksToken?: () => Promise<string> } = {},
): KubeConfig {
  const names = kubeConfigNames(mc.name);
  const kc = new k8s.KubeConfig();
  const auth = mc.auth;
  const load = (
    cluster: { server: string } & Record<string, unknown>,
    user: Record<string, unknown>,
    namespace?: string,
  ) =>
    kc.loadFromOptions({
      clusters: [{ ...cluster, name: names.cluster }],
      users: [{ ...user, name: names.user }],
      contexts: [
        {
          name: names.context,
          cluster: names.cluster,
          user: names.user,
          ...(namespace ? { namespace } : {}),
        },
      ],
      currentContext: names.context,
    });

  if (auth.type === 'kubeconfig') {
    const key = `${mc.configKey}.kubeconfig`;
    const source = new k8s.KubeConfig();
    try {
      source.loadFromFile(auth.path);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // The YAML parser's messages quote the file: only the error code or kind is reported.
      throw new InputError(
        `management cluster "${
          mc.name
        }": cannot load the kubeconfig file set in ${key}.path (${
          typeof code === 'string' ? code : 'not a valid kubeconfig file'
        })`,
      );
    }
    const contextName = auth.context ?? source.getCurrentContext();
    const context = contextName ? source.getContextObject(contextName) : null;
    if (!context) {
      const known = source.getContexts().map(c => c.name);
      throw new InputError(
        `management cluster "${mc.name}": ${
          auth.context
            ? `context "${auth.context}" (${key}.context) is not`
            : 'no current-context is set'
        } in the kubeconfig file; its contexts are: ${
          known.join(', ') || 'none'
        }`,
      );
    }
    const cluster = source.getCluster(context.cluster);
    const user = source.getUser(context.user);
    if (!cluster || !user) {
      throw new InputError(
        `management cluster "${mc.name}": context "${
          context.name
        }" of the kubeconfig file refers to a missing ${
          cluster ? 'user' : 'cluster'
        }`,
      );
    }
    validateServerUrl(
      cluster.server,
      `the server of context "${context.name}" in the kubeconfig file set in ${key}.path`,
    );
    load(
      {
        ...cluster,
        skipTLSVerify: needsSkipTls(cluster.server, cluster.skipTLSVerify),
      },
      { ...user },
      context.namespace,
    );
    return kc;
  }

  if (auth.type === 'inCluster') {
    if (
      !process.env.KUBERNETES_SERVICE_HOST ||
      !process.env.KUBERNETES_SERVICE_PORT
    ) {
      throw new InputError(
        `management cluster "${mc.name}": ${mc.configKey}.inCluster is set but Backstage is not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set)`,
      );
    }
    const source = new k8s.KubeConfig();
    source.loadFromCluster();
    const cluster = source.getCurrentCluster()!;
    const user = source.getCurrentUser()!;
    load(
      { ...cluster },
      { ...user },
      source.getContextObject(source.getCurrentContext())?.namespace,
    );
    return kc;
  }

  const cluster = {
    server: auth.url,
    ...(auth.caData ? { caData: auth.caData } : {}),
    skipTLSVerify: needsSkipTls(auth.url, auth.skipTLSVerify),
  };
  if (auth.type === 'token') {
    load(cluster, { token: auth.token });
    return kc;
  }

  const eksToken = options.eksToken;
  if (!eksToken)
    throw new Error(
      'an EKS token provider is required for an eks management cluster',
    );
  load(cluster, { authProvider: { name: EKS_AUTH_PROVIDER, config: {} } });
  kc.addAuthenticator({
    isAuthProvider: (user: User) =>
      user?.name === names.user &&
      user.authProvider?.name === EKS_AUTH_PROVIDER,
    applyAuthentication: async (_user: User, opts) => {
      let token: string;
      try {
        token = await eksToken();
      } catch (e) {
        // AWS errors name the failing link (no credentials, AccessDenied on AssumeRole) by their
        // name; their messages may quote ARNs, which are not secret, but never keys.
        const name = (e as { name?: string }).name ?? 'Error';
        if (name === 'TimeoutError') {
          throw new ServiceUnavailableError(
            `management cluster "${mc.name}": cannot make an EKS token for cluster ${auth.clusterName} in ${auth.region}: AWS (STS or the credential source) did not answer within the request timeout`,
          );
        }
        throw new AuthenticationError(
          `management cluster "${
            mc.name
          }": cannot make an EKS token for cluster ${auth.clusterName} in ${
            auth.region
          }${
            auth.roleArn ? ` with role ${auth.roleArn}` : ''
          } (${name}); check the backend's AWS credentials${
            auth.roleArn ? " and the role's trust policy and external id" : ''
          }`,
        );
      }
      const target = opts as { headers?: Record<string, unknown> };
      target.headers = {
        ...(target.headers ?? {}),
        Authorization: `Bearer ${token}`,
      };
    },
  });
  return kc;
}
