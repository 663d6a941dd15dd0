import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The value of the CapaKubernetesVersionPicker field: a Kubernetes minor version from
 * `capa.kubernetesVersions`. `ui:options.selectNewest: false` leaves the field empty until the
 * user picks (for upgrades, where the newest is rarely the next version).
 *
 * @public
 */
export const CapaKubernetesVersionPickerFieldSchema = makeFieldSchema({
  output: z =>
    z
      .string()
      .describe('A Kubernetes minor version from capa.kubernetesVersions'),
  uiOptions: z =>
    z.object({
      selectNewest: z
        .boolean()
        .optional()
        .describe(
          'Choose the newest version when the form has none (default true)',
        ),
    }),
});

/** Props of the CapaKubernetesVersionPicker field. */
export type CapaKubernetesVersionPickerProps =
  typeof CapaKubernetesVersionPickerFieldSchema.TProps;
