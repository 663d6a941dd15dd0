import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { CAPA_CLUSTER_CAPABILITIES } from '@capa-backstage/plugin-capa-common';

const CAPABILITIES = Object.keys(CAPA_CLUSTER_CAPABILITIES) as [
  keyof typeof CAPA_CLUSTER_CAPABILITIES,
  ...Array<keyof typeof CAPA_CLUSTER_CAPABILITIES>,
];

/**
 * The value of the CapaClusterPicker field: the cluster's catalog entity ref, e.g.
 * `resource:default/local.acme.prod`, as `catalog:fetch` takes it. `ui:options.can` names what the
 * user must be allowed to do with the cluster (default `update`).
 *
 * @public
 */
export const CapaClusterPickerFieldSchema = makeFieldSchema({
  output: z => z.string().describe("The cluster's catalog entity ref"),
  uiOptions: z =>
    z.object({
      can: z
        .enum(CAPABILITIES)
        .optional()
        .describe(
          'Offer only clusters the user may do this on: update, delete, manage-access or read-kubeconfig (default update)',
        ),
    }),
});

/** Props of the CapaClusterPicker field. */
export type CapaClusterPickerProps = typeof CapaClusterPickerFieldSchema.TProps;
