export interface Config {
  capa?: {
    catalog?: {
      /**
       * Owner of cluster and identity entities whose tenant namespace names no owner group
       * (label capa.backstage.io/owner-group or annotation capa.backstage.io/owner).
       * Defaults to "group:default/platform-team".
       */
      defaultOwner?: string;
    };
  };
}
