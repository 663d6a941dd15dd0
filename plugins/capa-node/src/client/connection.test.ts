import { plain } from './connection';

class Meta {
  name = 'a';
  creationTimestamp = new Date('2026-01-02T03:04:05Z');
  labels: Record<string, string> | undefined = undefined;
}

describe('plain', () => {
  it('gives what a JSON round trip gives', () => {
    const inputs: unknown[] = [
      null,
      'text',
      3,
      [1, undefined, () => 1, new Date(0)],
      { metadata: new Meta(), spec: { a: [{ b: 1 }], c: undefined } },
      { items: [{ metadata: new Meta() }, { status: { phase: 'x' } }] },
      Object.assign(Object.create(null), { a: 1, b: undefined }),
    ];
    for (const input of inputs) {
      const copy = plain(input);
      expect(copy).toStrictEqual(JSON.parse(JSON.stringify(input)));
    }
  });

  it('copies only the parts that are not plain', () => {
    const status = { conditions: [{ type: 'Ready', status: 'True' }] };
    const spec = { version: 'v1.31' };
    const item = { metadata: new Meta(), spec, status };
    const list = { items: [item, { spec }] };
    const copy = plain<{ items: Array<Partial<typeof item>> }>(list);
    expect(copy).not.toBe(list);
    expect(copy.items[0]).not.toBe(item);
    expect(copy.items[0].metadata).toEqual({
      name: 'a',
      creationTimestamp: '2026-01-02T03:04:05.000Z',
    });
    expect(Object.getPrototypeOf(copy.items[0].metadata)).toBe(
      Object.prototype,
    );
    // Parsed JSON is shared, not copied.
    expect(copy.items[0].spec).toBe(spec);
    expect(copy.items[0].status).toBe(status);
    expect(copy.items[1]).toBe(list.items[1]);
    const untouched = { a: [1, { b: 'c' }] };
    expect(plain(untouched)).toBe(untouched);
  });
});
