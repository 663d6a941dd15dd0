import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/** The fleet page. @public */
export const rootRouteRef = createRouteRef({
  id: 'capa',
});

/**
 * A template's page in the scaffolder, where the cluster card's day-2 links lead. Bound to the
 * scaffolder's `selectedTemplate` route by default; without a scaffolder the links are hidden.
 *
 * @public
 */
export const scaffolderTemplateRouteRef = createExternalRouteRef({
  id: 'capa:scaffolder-template',
  params: ['namespace', 'templateName'],
  optional: true,
  defaultTarget: 'scaffolder.selectedTemplate',
});
