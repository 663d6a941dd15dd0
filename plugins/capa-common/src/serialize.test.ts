import { parseAllDocuments } from 'yaml';
import { typicalCluster } from './__fixtures__/inputs';
import { renderCluster } from './render/renderCluster';
import { toJson, toYaml } from './serialize';

const parse = (text: string, version: '1.1' | '1.2' = '1.2') =>
  parseAllDocuments(text, { version }).map(d => d.toJS());

describe('toYaml', () => {
  it('writes shared sub-objects out in full, without anchors or aliases', () => {
    const labels = { app: 'web', tier: 'frontend' };
    const objects = [
      { kind: 'A', metadata: { labels }, spec: { selector: labels } },
      { kind: 'B', metadata: { labels } },
    ];
    const text = toYaml(objects);
    expect(text).not.toMatch(/[&*]a\d*\b/);
    expect(text).not.toContain('&');
    expect(text).not.toContain('*');
    expect(text.match(/tier: frontend/g)).toHaveLength(3);
    expect(parse(text)).toEqual(objects);
  });

  it('writes rendered objects without anchors or aliases', () => {
    const { objects } = renderCluster(typicalCluster);
    const text = toYaml(objects);
    expect(text).not.toMatch(/(^|\s)[&*][\w-]+/m);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(objects)));
  });

  it('does not fold long strings', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const token = 'x'.repeat(500);
    const text = toYaml([{ message: words, token }]);
    expect(text).toBe(`message: ${words}\ntoken: ${token}\n`);
  });

  it('does not fold long strings inside nested sequences', () => {
    const arn = `arn:aws:iam::111122223333:role/${'a'.repeat(64)}`;
    const text = toYaml([
      { spec: { list: [{ arn, note: `${'long '.repeat(40)}end` }] } },
    ]);
    for (const line of text.split('\n').filter(Boolean)) {
      expect(line).toMatch(/^\s*(- )?\w+:( .+)?$/);
    }
    expect(parse(text)).toEqual([
      { spec: { list: [{ arn, note: `${'long '.repeat(40)}end` }] } },
    ]);
  });

  it('separates documents with "---" lines and starts without one', () => {
    const text = toYaml([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(text).toBe('a: 1\n---\nb: 2\n---\nc: 3\n');
    expect(parse(text)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('writes one object without a separator, and nothing for no objects', () => {
    expect(toYaml([{ a: 1 }])).toBe('a: 1\n');
    expect(toYaml([])).toBe('');
  });

  it('gives byte-identical output for the same objects', () => {
    const objects = renderCluster(typicalCluster).objects;
    expect(toYaml(objects)).toBe(toYaml(JSON.parse(JSON.stringify(objects))));
  });

  it('quotes strings that a YAML 1.1 reader would take for booleans or numbers', () => {
    const values = {
      a: 'on',
      b: 'Off',
      c: 'yes',
      d: 'n',
      e: '1_000',
      f: '0b101',
      g: '12:30',
      h: '0755',
    };
    const text = toYaml([{ labels: values, on: 'key' }]);
    expect(text).toContain('a: "on"');
    expect(text).toContain('"on": key');
    expect(parse(text, '1.1')).toEqual([{ labels: values, on: 'key' }]);
    expect(parse(text, '1.2')).toEqual([{ labels: values, on: 'key' }]);
  });

  it('keeps plain style for ordinary strings', () => {
    expect(
      toYaml([{ name: 'prod-general', version: 'v1.33', cidr: '10.0.0.0/16' }]),
    ).toBe('name: prod-general\nversion: v1.33\ncidr: 10.0.0.0/16\n');
  });

  it('escapes NEL, LS and PS, which YAML 1.1 reads as line breaks', () => {
    const objects = [
      { ['k\u2029ey']: 'a\u2028---\u2028kind: Secret', nel: 'x\u0085y' },
    ];
    const text = toYaml(objects);
    expect(text).not.toMatch(/[\u0085\u2028\u2029]/);
    expect(text).toBe('"k\\Pey": "a\\L---\\Lkind: Secret"\nnel: "x\\Ny"\n');
    expect(parse(text, '1.1')).toEqual(objects);
    expect(parse(text, '1.2')).toEqual(objects);
  });
});

describe('toJson', () => {
  it('indents with two spaces and ends with exactly one newline', () => {
    const text = toJson({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow' }],
    });
    expect(text).toBe(
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow"\n    }\n  ]\n}\n',
    );
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('parses back to the same value', () => {
    const value = { a: [1, 'two', { three: null }], b: 'x\u2028y' };
    expect(JSON.parse(toJson(value))).toEqual(value);
  });
});
