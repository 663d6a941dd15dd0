import {
  CapaValidationError,
  parseInput,
  type CapaValidationIssue,
} from '@capa-backstage/plugin-capa-common';
import { z, type ZodTypeAny } from 'zod/v3';

/** What a field that broke its schema holds in the parsed input: its schema and the raw value. */
class InvalidField {
  constructor(readonly schema: ZodTypeAny, readonly value: unknown) {}
}

/**
 * An action's input field whose problems the action reports itself. The actions registry parses
 * the input before the action runs and answers any problem with "Invalid input to action" and
 * zod's raw issues as JSON; the plan must instead return its input's problems as its answer. A
 * field wrapped here always passes that parse (its JSON Schema, which MCP clients see, is still
 * the field's own, required or not as before); the action then calls {@link inputProblems} or
 * {@link checkInput}, which name every broken rule by its path in the project's words, as the
 * scaffolder actions do. A required field that is missing is still refused by the registry.
 */
export function reported<T extends ZodTypeAny>(schema: T): T {
  const caught = (schema as ZodTypeAny).catch((ctx: { input: unknown }) =>
    ctx.input === undefined ? undefined : new InvalidField(schema, ctx.input),
  );
  // Without the refinement, catching would make a required field look optional in JSON Schema.
  return (schema.isOptional()
    ? caught
    : caught.refine(v => v !== undefined, {
        message: 'Required',
      })) as unknown as T;
}

/** Every rule the fields wrapped with {@link reported} broke, by path (`cluster.nodePools[0].maxSize`). */
export function inputProblems(input: object): CapaValidationIssue[] {
  const invalid = Object.entries(input).filter(
    (e): e is [string, InvalidField] => e[1] instanceof InvalidField,
  );
  if (!invalid.length) return [];
  try {
    parseInput(
      z.object(Object.fromEntries(invalid.map(([k, f]) => [k, f.schema]))),
      Object.fromEntries(invalid.map(([k, f]) => [k, f.value])),
      'input',
    );
  } catch (e) {
    if (e instanceof CapaValidationError) return e.issues;
    throw e;
  }
  // The schema accepts the value it refused a moment ago: only a schema with side effects could.
  throw new Error(
    `input fields ${invalid.map(([k]) => k).join(', ')} changed validity`,
  );
}

/** Throws one CapaValidationError (an InputError) listing every problem of the input, if any. */
export function checkInput(input: object, subject: string): void {
  const problems = inputProblems(input);
  if (problems.length) throw new CapaValidationError(subject, problems);
}
