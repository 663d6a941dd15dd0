/* eslint-disable no-restricted-imports -- test utilities read CRD files from disk */
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import type { CustomResourceDefinition } from '../crd/CrdSchemaValidator';

// The validator lives in the main entry point (capa:apply checks objects against served CRDs);
// tests give it the CRD files: `new CrdSchemaValidator(loadCrds())`.
export { CrdSchemaValidator } from '../crd/CrdSchemaValidator';
export type {
  CrdSchemaProblem,
  CrdVersion,
  CustomResourceDefinition,
} from '../crd/CrdSchemaValidator';

/**
 * The CRD files of Cluster API and CAPA that the project renders objects for. Get the same files
 * upstream from each project's config/crd/bases (CAPA) and core/config/crd/bases (CAPI), or from
 * the components YAML of a release.
 *
 * @public
 */
export const REQUIRED_CRD_FILES = [
  'cluster.x-k8s.io_clusters.yaml',
  'cluster.x-k8s.io_machinepools.yaml',
  'controlplane.cluster.x-k8s.io_awsmanagedcontrolplanes.yaml',
  'infrastructure.cluster.x-k8s.io_awsclustercontrolleridentities.yaml',
  'infrastructure.cluster.x-k8s.io_awsclusterroleidentities.yaml',
  'infrastructure.cluster.x-k8s.io_awsmanagedclusters.yaml',
  'infrastructure.cluster.x-k8s.io_awsmanagedmachinepools.yaml',
  'infrastructure.cluster.x-k8s.io_awsfargateprofiles.yaml',
];

/** The CRD directory: $CAPA_CRDS_DIR, or ../shared/crds beside the repository. @public */
export function crdDirectory(): string {
  return process.env.CAPA_CRDS_DIR
    ? path.resolve(process.env.CAPA_CRDS_DIR)
    : path.resolve(__dirname, '../../../../../shared/crds');
}

/** Reads every CRD file in a directory. Throws when the directory or a required file is missing. @public */
export function loadCrds(
  dir: string = crdDirectory(),
): CustomResourceDefinition[] {
  if (!fs.existsSync(dir)) {
    throw new Error(
      `CRD directory ${dir} does not exist; set CAPA_CRDS_DIR to the folder that holds the Cluster API and CAPA CRD files`,
    );
  }
  const missing = REQUIRED_CRD_FILES.filter(
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
