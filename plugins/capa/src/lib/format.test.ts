import { compareVersions, formatAge } from './format';

describe('formatAge', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');

  it.each([
    ['2025-06-10T11:59:15Z', '45s'],
    ['2025-06-10T11:48:00Z', '12m'],
    ['2025-06-10T07:00:00Z', '5h'],
    ['2025-06-07T12:00:00Z', '3d'],
    ['2023-06-01T12:00:00Z', '2y'],
  ])('shows %s as %s', (timestamp, age) => {
    expect(formatAge(timestamp, now)).toBe(age);
  });

  it('gives nothing for a missing or invalid timestamp', () => {
    expect(formatAge(undefined, now)).toBeUndefined();
    expect(formatAge('yesterday', now)).toBeUndefined();
  });

  it('never shows a negative age when clocks disagree', () => {
    expect(formatAge('2025-06-10T12:00:30Z', now)).toBe('0s');
  });
});

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
