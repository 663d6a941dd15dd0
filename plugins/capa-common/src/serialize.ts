import { stringify } from 'yaml';

const YAML_OPTIONS = {
  // Shared sub-objects (labels, tags) must be written out in full, never as anchors and aliases.
  aliasDuplicateObjects: false,
  // No line folding: long ARNs and messages stay on one line, so output is stable and greppable.
  lineWidth: 0,
  minContentWidth: 0,
} as const;

/**
 * Serialises objects once, as one multi-document YAML stream in the given order. The same objects
 * always give byte-identical output.
 *
 * @public
 */
export function toYaml(objects: readonly object[]): string {
  return objects.map(o => stringify(o, YAML_OPTIONS)).join('---\n');
}

/** Serialises a value as indented JSON with a final newline (IAM policy documents). @public */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
