export { EntityCapaTenantClustersCard } from './EntityCapaTenantClustersCard';
