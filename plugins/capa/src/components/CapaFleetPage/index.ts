export { CapaFleetContent, CapaFleetPage } from './CapaFleetPage';
