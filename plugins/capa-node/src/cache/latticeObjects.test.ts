import { labelSelectorOf, projectObject } from './ObjectStore';

describe('what the watch cache keeps of VPC Lattice service access', () => {
  it("lists and watches only this project's ConfigMaps, and every ClusterResourceSetBinding", () => {
    expect(labelSelectorOf('ConfigMap')).toBe('capa.backstage.io/lattice');
    expect(labelSelectorOf('ClusterResourceSetBinding')).toBeUndefined();
  });

  it("keeps a ConfigMap's metadata, never its data", () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'lattice-join.prod',
        namespace: 'acme',
        labels: { 'capa.backstage.io/lattice': 'join' },
        annotations: { 'capa.backstage.io/lattice-service': 'a/b:80' },
        managedFields: [{ manager: 'backstage-capa-network' }],
      },
      data: { 'lattice.yaml': 'kind: Gateway\n' },
      binaryData: { x: 'AA==' },
    };
    expect(projectObject('ConfigMap', cm as any)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'lattice-join.prod',
        namespace: 'acme',
        labels: { 'capa.backstage.io/lattice': 'join' },
        annotations: { 'capa.backstage.io/lattice-service': 'a/b:80' },
      },
    });
  });
});
