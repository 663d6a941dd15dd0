/* eslint-disable no-restricted-imports -- test utilities read CRD files from disk */
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import type { CustomResourceDefinition } from '../crd/CrdSchemaValidator';

/**
 * The CRD files of objects that live in workload clusters (Gateway API and the AWS Gateway API
 * Controller for VPC Lattice). Upstream: kubernetes-sigs/gateway-api config/crd/standard and
 * aws/aws-application-networking-k8s config/crds/bases.
 *
 * @public
 */
export const REQUIRED_WORKLOAD_CRD_FILES = [
  'gateway.networking.k8s.io_gatewayclasses.yaml',
  'gateway.networking.k8s.io_gateways.yaml',
  'gateway.networking.k8s.io_httproutes.yaml',
  'application-networking.k8s.aws_iamauthpolicies.yaml',
];

/** The workload CRD directory: $CAPA_WORKLOAD_CRDS_DIR, or ../shared/crds-workload beside the repository. @public */
export function workloadCrdDirectory(): string {
  return process.env.CAPA_WORKLOAD_CRDS_DIR
    ? path.resolve(process.env.CAPA_WORKLOAD_CRDS_DIR)
    : path.resolve(__dirname, '../../../../../shared/crds-workload');
}

/** Reads every workload CRD file. Throws when the directory or a required file is missing. @public */
export function loadWorkloadCrds(
  dir: string = workloadCrdDirectory(),
): CustomResourceDefinition[] {
  if (!fs.existsSync(dir)) {
    throw new Error(
      `Workload CRD directory ${dir} does not exist; set CAPA_WORKLOAD_CRDS_DIR to the folder that holds the Gateway API and AWS Gateway API Controller CRD files`,
    );
  }
  const missing = REQUIRED_WORKLOAD_CRD_FILES.filter(
    f => !fs.existsSync(path.join(dir, f)),
  );
  if (missing.length) {
    throw new Error(`CRD files missing from ${dir}: ${missing.join(', ')}`);
  }
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(
        d => d.toJS() as CustomResourceDefinition,
      ),
    )
    .filter(
      d => d && (d as { kind?: string }).kind === 'CustomResourceDefinition',
    );
}
