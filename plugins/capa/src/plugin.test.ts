import { capaApiRef } from './api';
import {
  capaPlugin,
  CapaClusterPickerFieldExtension,
  CapaFleetPage,
  CapaKubernetesVersionPickerFieldExtension,
  CapaManagementClusterPickerFieldExtension,
  CapaTenantPickerFieldExtension,
  EntityCapaClusterCard,
  EntityCapaTenantClustersCard,
} from './plugin';
import { rootRouteRef } from './routes';

describe('the legacy frontend system plugin', () => {
  it('is the capa plugin, with the API client and the fleet route', () => {
    expect(capaPlugin.getId()).toBe('capa');
    expect([...capaPlugin.getApis()].map(f => f.api)).toEqual([capaApiRef]);
    expect(capaPlugin.routes.root).toBe(rootRouteRef);
  });

  it('provides the cards and the page as components', () => {
    for (const extension of [
      CapaFleetPage,
      EntityCapaClusterCard,
      EntityCapaTenantClustersCard,
    ]) {
      expect(typeof extension).toBe('function');
    }
  });

  it('provides the scaffolder field extensions', () => {
    for (const extension of [
      CapaTenantPickerFieldExtension,
      CapaClusterPickerFieldExtension,
      CapaManagementClusterPickerFieldExtension,
      CapaKubernetesVersionPickerFieldExtension,
    ]) {
      expect(typeof extension).toBe('function');
    }
  });
});
