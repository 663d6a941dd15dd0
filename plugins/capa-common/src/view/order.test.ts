import { CLUSTER_PHASES, compareVersions } from './order';

describe('compareVersions', () => {
  it('orders numerically, not as text', () => {
    const sorted = [
      'v1.30',
      '1.9',
      'v1.29.3',
      '1.10',
      undefined,
      'latest',
      '1.30.2',
    ].sort(compareVersions);
    expect(sorted).toEqual([
      '1.9',
      '1.10',
      'v1.29.3',
      'v1.30',
      '1.30.2',
      'latest',
      undefined,
    ]);
  });

  it('treats v-prefixed and plain versions alike', () => {
    expect(compareVersions('v1.31', '1.31')).toBe(0);
  });
});

describe('CLUSTER_PHASES', () => {
  it('holds every phase once', () => {
    expect(new Set(CLUSTER_PHASES).size).toBe(CLUSTER_PHASES.length);
    expect(CLUSTER_PHASES).toContain('Provisioned');
  });
});
