/*
 * Messages between the benchmark (the backend process) and its "world" child process (the
 * management clusters and the portal's users). Keeping the test servers and the load generator out
 * of the backend process keeps its memory and CPU figures its own.
 */
import type { ClusterRef } from './fleetObjects';

/** A management cluster the world serves. */
export interface ServedCluster {
  name: string;
  url: string;
  token: string;
  /** Objects of each watched kind it holds. */
  counts: Record<string, number>;
}

/** What one measured phase sends: which portal requests, how many. */
export type LoadSpec =
  | { kind: 'firstPage'; limit: number }
  /** A page of a filtered, sorted fleet with facet counts, as the fleet page asks for it. */
  | { kind: 'filteredPage'; limit: number }
  | { kind: 'wholeFleet'; limit: number }
  | { kind: 'oneCluster' }
  | { kind: 'update' };

export interface LoadRequest {
  type: 'load';
  id: number;
  baseUrl: string;
  spec: LoadSpec;
  warmup: number;
  samples: number;
}

export interface LoadResult {
  type: 'loadResult';
  id: number;
  /** Milliseconds per sample, in order. */
  samples: number[];
  /** Portal (backend) HTTP requests sent during the measured samples. */
  portalRequests: number;
  /** Kubernetes API requests the test servers received during the measured samples. */
  kubernetesRequests: number;
  /** Bytes of response bodies during the measured samples. */
  bytes: number;
  /** A check of what the portal answered (item counts and the like), for the report. */
  check: string;
}

export type ToWorld =
  /** Builds a fleet of this many workload clusters (shapeOf in ./fleetObjects.ts). */
  | { type: 'start'; clusters: number }
  | LoadRequest
  /** Creates one more workload cluster on a management cluster, statuses and Secrets included. */
  | { type: 'addCluster'; id: number }
  /** A controller writes one Cluster's status (nobody reads it here). */
  | { type: 'changeStatus'; id: number }
  | { type: 'kubernetesRequests'; id: number }
  | { type: 'stop' };

export type FromWorld =
  | {
      type: 'ready';
      servers: ServedCluster[];
      clusters: ClusterRef[];
      objects: number;
      seedMs: number;
    }
  | LoadResult
  | { type: 'kubernetesRequestCount'; id: number; count: number }
  | { type: 'done'; id: number; cluster: ClusterRef; at: number }
  | { type: 'error'; id?: number; message: string };
