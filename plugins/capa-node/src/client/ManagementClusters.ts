import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import {
  ManagementClusterConfig,
  readManagementClusters,
} from '../config/readManagementClusters';
import { ManagementClusterClient } from './ManagementClusterClient';
import type { ClientNodeModule } from './loadClientNode';

/**
 * What may be shown about a management cluster: no token, CA data or external id.
 *
 * @public
 */
export interface ManagementClusterInfo {
  name: string;
  /** How the backend reaches it. */
  auth: 'kubeconfig' | 'inCluster' | 'token' | 'eks';
  /** API server URL, when configured directly (validated: no embedded credentials). */
  url?: string;
  eks?: { clusterName: string; region: string; roleArn?: string };
  /** The role the scaffolder assumes for STS checks. */
  awsRoleArn?: string;
}

/**
 * Options of {@link ManagementClusters.fromConfig}.
 *
 * @public
 */
export interface ManagementClustersOptions {
  logger: LoggerService;
  /** AWS credentials for EKS tokens and STS checks. Default: from the root config's `aws` section. */
  credentialsManager?: AwsCredentialsManager;
  /**
   * Timeout of each request to a management cluster or STS, credentials included, where its config
   * sets no `timeouts.request`. Default 30 s.
   */
  requestTimeoutMs?: number;
  /** Timeout of opening a connection, where the config sets no `timeouts.connect`. Default 10 s. */
  connectTimeoutMs?: number;
  /** Loads `@kubernetes/client-node`; replaceable for tests. */
  loadClientNode?: () => Promise<ClientNodeModule>;
  /** Extra configuration of the STS client that assumes roles (tests point it at a local server). */
  stsClientConfig?: Record<string, unknown>;
}

function infoOf(c: ManagementClusterConfig): ManagementClusterInfo {
  const a = c.auth;
  return {
    name: c.name,
    auth: a.type,
    ...(a.type === 'token' || a.type === 'eks' ? { url: a.url } : {}),
    ...(a.type === 'eks'
      ? {
          eks: {
            clusterName: a.clusterName,
            region: a.region,
            ...(a.roleArn ? { roleArn: a.roleArn } : {}),
          },
        }
      : {}),
    ...(c.aws?.roleArn ? { awsRoleArn: c.aws.roleArn } : {}),
  };
}

/**
 * The configured management clusters (`capa.managementClusters`), each with its client. Clients
 * connect lazily: building the registry validates the config but makes no request.
 *
 * @public
 */
export class ManagementClusters {
  private readonly clients: Map<
    string,
    { info: ManagementClusterInfo; client: ManagementClusterClient }
  >;

  /** Reads and validates the config (InputError naming the key on any mistake). */
  static fromConfig(
    config: Config,
    options: ManagementClustersOptions,
  ): ManagementClusters {
    const clusters = readManagementClusters(config);
    let credentialsManager = options.credentialsManager;
    if (
      !credentialsManager &&
      clusters.some(c => c.auth.type === 'eks' || c.aws)
    ) {
      credentialsManager = DefaultAwsCredentialsManager.fromConfig(config);
    }
    return new ManagementClusters(clusters, { ...options, credentialsManager });
  }

  private constructor(
    clusters: ManagementClusterConfig[],
    options: ManagementClustersOptions,
  ) {
    this.clients = new Map(
      clusters.map(c => [
        c.name,
        {
          info: infoOf(c),
          client: new ManagementClusterClient({
            config: c,
            logger: options.logger.child({ managementCluster: c.name }),
            credentialsManager: options.credentialsManager,
            requestTimeoutMs: options.requestTimeoutMs,
            connectTimeoutMs: options.connectTimeoutMs,
            loadClientNode: options.loadClientNode,
            stsClientConfig: options.stsClientConfig,
          }),
        },
      ]),
    );
  }

  /**
   * The client of a management cluster; NotFoundError otherwise. The error does not list the
   * configured names: whoever gave a wrong one may not be entitled to learn them.
   */
  get(name: string): ManagementClusterClient {
    const entry = this.clients.get(name);
    if (!entry) {
      throw new NotFoundError(
        `management cluster "${name}" is not configured (capa.managementClusters)`,
      );
    }
    return entry.client;
  }

  /** Every configured management cluster, in config order, without secrets. */
  list(): ManagementClusterInfo[] {
    return [...this.clients.values()].map(e => e.info);
  }
}
