export interface Config {
  capa?: {
    /**
     * The CAPA permission policy (@capa-backstage/plugin-permission-backend-module-capa-policy).
     */
    permissionPolicy?: {
      /**
       * Entity refs of the groups whose members may do everything, e.g.
       * ["group:default/platform-team"]. A user is a member when the group is one of the user's
       * ownership entity refs (as resolved at sign-in). Everyone else may read the fleet, act on
       * the clusters their groups own and create clusters in their own tenants only; templates
       * labelled `capa.backstage.io/platform-only` are hidden from them. Must name at least one
       * group, each of kind Group; a ref without a namespace means the `default` namespace.
       * Defaults to ["group:default/platform-team"].
       */
      platformGroups?: string[];
    };
  };
}
