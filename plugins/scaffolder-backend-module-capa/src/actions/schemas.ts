import type { z as zod } from 'zod/v3';

/** Output fields shared by the render actions. */
export function renderOutputSchema(z: typeof zod) {
  return {
    files: z
      .array(z.string())
      .describe(
        'Workspace-relative paths of the files written, for publish:* or pull-request steps',
      ),
    manifest: z
      .string()
      .describe(
        'All rendered objects as one multi-document YAML stream, in apply order (input of capa:apply)',
      ),
    objects: z
      .array(
        z.object({
          apiVersion: z.string(),
          kind: z.string(),
          namespace: z.string().optional(),
          name: z.string(),
        }),
      )
      .describe(
        'apiVersion, kind, namespace and name of each rendered object, in apply order',
      ),
    warnings: z
      .array(z.string())
      .describe('Warnings a person should read before applying'),
  };
}

/** The workspace folder the render actions write into. */
export function targetPathSchema(z: typeof zod, example: string) {
  return z
    .string()
    .default('capa')
    .describe(
      `Workspace-relative folder to write into (default "capa"); files go to ${example}`,
    );
}

/** The management cluster an action works on, by its configured name. */
export function managementClusterSchema(z: typeof zod) {
  return z
    .string()
    .describe(
      'Name of the management cluster (capa.managementClusters in app-config)',
    );
}
