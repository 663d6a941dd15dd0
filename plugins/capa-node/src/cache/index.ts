export { ObjectStore, WATCHED_KINDS, matches, page } from './ObjectStore';
export type { ClusterFilters, WatchedKind } from './ObjectStore';
export { Informer, DEFAULT_TIMINGS } from './Informer';
export { DefaultCapaClusterCache } from './DefaultCapaClusterCache';
export type { CacheSource } from './DefaultCapaClusterCache';
export type {
  InformerStatus,
  InformerTimings,
  KindSpec,
  ListWatchTransport,
} from './Informer';
export { capaClusterCacheServiceRef } from './service';
export type { CapaClusterCache, ManagementClusterHealth } from './types';
