import { formatAge, newestFirst } from './format';

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

describe('newestFirst', () => {
  it('orders by number, not by string', () => {
    expect(newestFirst(['1.9', '1.33', '1.10', '1.35', '1.34'])).toEqual([
      '1.35',
      '1.34',
      '1.33',
      '1.10',
      '1.9',
    ]);
  });

  it('reads a leading v and patch releases', () => {
    expect(newestFirst(['v1.33.5', '1.34', 'v1.33.10'])).toEqual([
      '1.34',
      'v1.33.10',
      'v1.33.5',
    ]);
  });

  it('puts what is not a version last, in its order, and leaves the input as it is', () => {
    const versions = ['latest', '1.33', 'edge', '1.34'];
    expect(newestFirst(versions)).toEqual(['1.34', '1.33', 'latest', 'edge']);
    expect(versions).toEqual(['latest', '1.33', 'edge', '1.34']);
  });
});
