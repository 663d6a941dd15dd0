import { StringTable } from './intern';

/** A string not shared with any literal, as JSON.parse would make. */
const fresh = (s: string) => JSON.parse(JSON.stringify(s)) as string;

describe('StringTable', () => {
  it('keeps values equal and shares repeated ones in place', () => {
    const table = new StringTable();
    const a = JSON.parse(
      '{"kind":"Cluster","metadata":{"uid":"u-1","labels":{"t":"acme"}},"status":{"conditions":[{"type":"Ready","status":"True"}]}}',
    );
    const b = JSON.parse(
      '{"kind":"Cluster","metadata":{"uid":"u-2","labels":{"t":"acme"}},"status":{"conditions":[{"type":"Ready","status":"True"}]}}',
    );
    const copyA = JSON.parse(JSON.stringify(a));
    expect(table.shareIn(a)).toBe(a);
    table.shareIn(b);
    expect(a).toEqual(copyA);
    expect(b.metadata.uid).toBe('u-2');
    // Distinct values: Cluster, acme, Ready, True; uids are not kept.
    expect(table.size).toBe(4);
  });

  it('returns the first copy for an equal string and leaves long strings alone', () => {
    const table = new StringTable();
    const first = fresh('eu-west-1');
    table.string(first);
    expect(table.string(fresh('eu-west-1'))).toBe(first);
    const long = 'x'.repeat(65);
    table.string(long);
    expect(table.size).toBe(1);
  });

  it('stays bounded: starts afresh after 50,000 distinct strings', () => {
    const table = new StringTable();
    for (let i = 0; i < 50_000; i++) table.string(`v${i}`);
    expect(table.size).toBe(50_000);
    table.string('one more');
    expect(table.size).toBe(1);
  });
});
