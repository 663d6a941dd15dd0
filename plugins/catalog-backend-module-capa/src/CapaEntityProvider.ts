import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  CAPA_ANNOTATIONS,
  CAPA_LABELS,
  CLUSTER_ENTITY_TYPE,
  ClusterView,
  clusterEntityName,
  IDENTITY_ENTITY_TYPE,
  identityEntityName,
  ownerOfNamespace,
  StoredObject,
} from '@capa-backstage/plugin-capa-common';
import { CapaClusterCache } from '@capa-backstage/plugin-capa-node';

const DEFAULT_OWNER = 'group:default/platform-team';

/**
 * Turns the watch cache into catalog entities: each workload cluster a Resource of type
 * kubernetes-cluster owned by its tenant's group, each tenant AWSClusterRoleIdentity a Resource the
 * clusters depend on. It writes a full mutation whenever the cache changes (coalesced by the cache),
 * so removed clusters leave the catalog and nothing polls.
 *
 * @public
 */
export class CapaEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private unsubscribe?: () => void;
  private lastGenerations = '';

  static fromConfig(
    config: Config,
    deps: { cache: CapaClusterCache; logger: LoggerService },
  ): CapaEntityProvider {
    return new CapaEntityProvider(
      deps.cache,
      deps.logger,
      config.getOptionalString('capa.catalog.defaultOwner') ?? DEFAULT_OWNER,
    );
  }

  private constructor(
    private readonly cache: CapaClusterCache,
    private readonly logger: LoggerService,
    private readonly defaultOwner: string,
  ) {}

  getProviderName(): string {
    return 'capa';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    this.unsubscribe = this.cache.subscribe(() => {
      this.refresh().catch(e =>
        this.logger.error(`Failed to update CAPA entities: ${e}`),
      );
    });
    await this.refresh();
  }

  /** Stops following the cache (for shutdown). */
  close(): void {
    this.unsubscribe?.();
  }

  /** Writes every entity the cache implies, if anything changed since the last write. */
  async refresh(): Promise<void> {
    if (!this.connection)
      throw new Error('CapaEntityProvider is not connected');
    const generations = this.cache
      .managementClusters()
      .map(mc => `${mc}:${this.cache.store(mc)?.generation}`)
      .join(',');
    if (generations === this.lastGenerations) return;
    const entities = this.entities();
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: `capa-provider:${this.getProviderName()}`,
      })),
    });
    this.lastGenerations = generations;
    const clusters = entities.filter(
      e => e.spec?.type === CLUSTER_ENTITY_TYPE,
    ).length;
    this.logger.info(
      `Wrote ${clusters} cluster and ${
        entities.length - clusters
      } identity entities from ${
        this.cache.managementClusters().length
      } management cluster(s)`,
    );
  }

  /** The entities for the current cache content. */
  entities(): Entity[] {
    return this.cache.managementClusters().flatMap(mc => {
      const store = this.cache.store(mc);
      if (!store) return [];
      const owners = new Map<string, string>();
      for (const ns of store.objects('Namespace')) {
        const tenant = ns.metadata?.labels?.[CAPA_LABELS.tenant];
        const owner = ownerOfNamespace(ns);
        if (tenant && owner) owners.set(tenant, owner);
      }
      return [
        ...store
          .objects('AWSClusterRoleIdentity')
          .map(i => this.identityEntity(mc, i, owners)),
        ...store.listViews().map(v => this.clusterEntity(v)),
      ];
    });
  }

  private location(mc: string) {
    const location = `capa:${mc}`;
    return {
      [ANNOTATION_LOCATION]: location,
      [ANNOTATION_ORIGIN_LOCATION]: location,
    };
  }

  private identityEntity(
    mc: string,
    identity: StoredObject<'AWSClusterRoleIdentity'>,
    owners: Map<string, string>,
  ): Entity {
    const name = identity.metadata?.name ?? '';
    const tenant = identity.metadata?.labels?.[CAPA_LABELS.tenant];
    const roleArn: string | undefined = identity.spec?.roleARN;
    const accountId = roleArn?.split(':')[4];
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: identityEntityName(mc, name),
        title: `AWS identity ${name}`,
        description: roleArn
          ? `CAPA assumes ${roleArn}`
          : 'AWSClusterRoleIdentity without a role ARN',
        annotations: {
          ...this.location(mc),
          [CAPA_ANNOTATIONS.managementCluster]: mc,
          ...(accountId ? { [CAPA_ANNOTATIONS.awsAccountId]: accountId } : {}),
        },
        ...(tenant ? { labels: { [CAPA_LABELS.tenant]: tenant } } : {}),
      },
      spec: {
        type: IDENTITY_ENTITY_TYPE,
        owner: (tenant && owners.get(tenant)) || this.defaultOwner,
      },
    };
  }

  private clusterEntity(view: ClusterView): Entity {
    const mc = view.managementCluster;
    const annotations: Record<string, string> = {
      ...this.location(mc),
      [CAPA_ANNOTATIONS.managementCluster]: mc,
      [CAPA_ANNOTATIONS.namespace]: view.namespace,
      [CAPA_ANNOTATIONS.clusterName]: view.name,
    };
    if (view.aws.accountId)
      annotations[CAPA_ANNOTATIONS.awsAccountId] = view.aws.accountId;
    if (view.aws.region) annotations[CAPA_ANNOTATIONS.region] = view.aws.region;
    const identity =
      view.aws.identity?.kind === 'AWSClusterRoleIdentity'
        ? view.aws.identity.name
        : undefined;
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: clusterEntityName(mc, view.namespace, view.name),
        title: `${view.name} (${view.namespace})`,
        description: [
          'EKS cluster',
          view.eks.clusterName && `"${view.eks.clusterName}"`,
          view.aws.region && `in ${view.aws.region}`,
          view.aws.accountId && `account ${view.aws.accountId}`,
        ]
          .filter(Boolean)
          .join(' '),
        annotations,
        ...(view.tenant
          ? { labels: { [CAPA_LABELS.tenant]: view.tenant } }
          : {}),
        tags: ['eks', 'capa'],
      },
      spec: {
        type: CLUSTER_ENTITY_TYPE,
        owner: view.owner ?? this.defaultOwner,
        ...(identity
          ? {
              dependsOn: [
                stringifyEntityRef({
                  kind: 'resource',
                  namespace: 'default',
                  name: identityEntityName(mc, identity),
                }),
              ],
            }
          : {}),
      },
    };
  }
}
