import { Document, visit } from 'yaml';

const YAML_OPTIONS = {
  // Shared sub-objects (labels, tags) must be written out in full, never as anchors and aliases.
  aliasDuplicateObjects: false,
  // Kubernetes tooling (kubectl, Flux, Argo CD: sigs.k8s.io/yaml) reads YAML 1.1, where plain
  // `on`, `yes`, `y`, `off`, `1_000` or `0b1` are booleans and numbers: quote any string that a
  // YAML 1.1 reader would not read back as the same string.
  compat: 'yaml-1.1',
  // No line folding: long ARNs and messages stay on one line, so output is stable and greppable.
  lineWidth: 0,
  minContentWidth: 0,
} as const;

/**
 * NEL, LS and PS are line breaks in YAML 1.1 but content in YAML 1.2, and the yaml library writes
 * them raw. Left raw, a YAML 1.1 reader would see a new line there, and a free-text value (an
 * add-on configuration) could start a `---` document of its own. Strings holding them are written
 * double-quoted with the characters escaped.
 */
const YAML_11_BREAKS = /[\u0085\u2028\u2029]/;
const YAML_11_BREAK_ESCAPES: Record<string, string> = {
  '\u0085': '\\N',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

function stringifyDocument(object: object): string {
  const doc = new Document(object, YAML_OPTIONS);
  let escaped = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML_11_BREAKS.test(node.value)) {
        node.type = 'QUOTE_DOUBLE';
        escaped = true;
      }
    },
  });
  const text = doc.toString(YAML_OPTIONS);
  // Every such character now sits inside a double-quoted scalar, where these escapes are valid.
  return escaped
    ? text.replace(/[\u0085\u2028\u2029]/g, c => YAML_11_BREAK_ESCAPES[c])
    : text;
}

/**
 * Serialises objects once, as one multi-document YAML stream in the given order. The same objects
 * always give byte-identical output.
 *
 * @public
 */
export function toYaml(objects: readonly object[]): string {
  return objects.map(stringifyDocument).join('---\n');
}

/** Serialises a value as indented JSON with a final newline (IAM policy documents). @public */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
