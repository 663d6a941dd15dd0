import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The value of the CapaManagementClusterPicker field: a name from `capa.managementClusters`.
 *
 * @public
 */
export const CapaManagementClusterPickerFieldSchema = makeFieldSchema({
  output: z =>
    z
      .string()
      .describe('A management cluster configured in capa.managementClusters'),
});

/** Props of the CapaManagementClusterPicker field. */
export type CapaManagementClusterPickerProps =
  typeof CapaManagementClusterPickerFieldSchema.TProps;
