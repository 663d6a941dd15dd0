/**
 * The CAPA backend plugin: workload cluster status from a watch cache, kubeconfigs behind
 * permissions.
 *
 * @packageDocumentation
 */
export { capaPlugin as default } from './plugin';
