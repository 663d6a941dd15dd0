export interface Config {
  capa?: {
    /**
     * Friendly names of AWS accounts, keyed by the 12-digit account id (quote it in YAML), shown
     * next to the id on the cluster card, the tenant card and the fleet page.
     *
     * @deepVisibility frontend
     */
    accountNames?: { [accountId: string]: string };
  };
}
