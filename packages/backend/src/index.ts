/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';
import { authModuleDevTenantSignIn } from './modules/devTenantSignIn';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// capa:* actions: render and apply CAPA tenant, cluster and IAM trust manifests
backend.add(import('@capa-backstage/plugin-scaffolder-backend-module-capa'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider
// development-only sign-in as a tenant developer (auth.providers.tenant-dev), next to the guest
backend.add(authModuleDevTenantSignIn);
// production sign-in (app-config.production.yaml): GitHub, resolved to catalog User entities
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
// every CAPA workload cluster and tenant identity as a Resource entity
backend.add(import('@capa-backstage/plugin-catalog-backend-module-capa'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// CAPA policy instead of allow-all: tenants may only act on their own clusters and tenants
backend.add(
  import('@capa-backstage/plugin-permission-backend-module-capa-policy'),
);

// CAPA plugin: workload cluster status from the shared watch cache, kubeconfigs behind permissions
backend.add(import('@capa-backstage/plugin-capa-backend'));

// kubernetes plugin, with every Provisioned CAPA workload cluster (AWS auth per tenant, capa.kubernetes)
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@capa-backstage/plugin-kubernetes-backend-module-capa'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Backstage logs a failed start as an unhandled rejection and keeps the process up, unready
// forever. Exit instead, so that the orchestrator starts the replica again: for example when two
// replicas start together on an empty database and one finds the other's migration lock taken.
backend.start().catch(error => {
  console.error('Backend failed to start', error);
  process.exit(1);
});
