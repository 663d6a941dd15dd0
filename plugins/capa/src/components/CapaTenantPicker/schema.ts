import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The value of the CapaTenantPicker field: a template reads `parameters.<field>.tenant` etc.
 *
 * @public
 */
export const CapaTenantPickerFieldSchema = makeFieldSchema({
  output: z =>
    z.object({
      managementCluster: z
        .string()
        .describe('The management cluster that holds the tenant'),
      tenant: z.string().describe("The tenant's name"),
      namespace: z
        .string()
        .describe("The tenant's namespace on the management cluster"),
    }),
});

/**
 * The value of the CapaTenantPicker field.
 *
 * @public
 */
export type CapaTenantPickerValue = typeof CapaTenantPickerFieldSchema.TOutput;

/** Props of the CapaTenantPicker field. */
export type CapaTenantPickerProps = typeof CapaTenantPickerFieldSchema.TProps;
