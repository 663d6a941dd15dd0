import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  capa?: {
    catalog?: {
      /**
       * Owner of cluster and identity entities whose tenant namespace names no owner group
       * (label capa.backstage.io/owner-group or annotation capa.backstage.io/owner).
       * Defaults to "group:default/platform-team".
       */
      defaultOwner?: string;
      /**
       * How often each management cluster's entities are written in full even without a change
       * (a global task: one replica at a time). Changes trigger a write sooner. Defaults to every
       * 5 minutes with a 3 minute timeout.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long requests to a management cluster must fail before its entities are marked with
       * `capa.backstage.io/stale-since`. Defaults to 1 minute.
       */
      markStaleAfter?: HumanDuration | string;
    };
  };
}
