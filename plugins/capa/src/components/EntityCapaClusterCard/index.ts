export { EntityCapaClusterCard } from './EntityCapaClusterCard';
