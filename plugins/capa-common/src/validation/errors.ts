import { InputError } from '@backstage/errors';
import type { ZodError, ZodIssue } from 'zod/v3';

/** One broken rule: where (a field path such as `nodePools[1].maxSize`) and which rule. @public */
export interface CapaValidationIssue {
  path: string;
  message: string;
}

/**
 * Thrown by the renderers before anything is rendered. It lists every broken rule at once; as an
 * InputError it becomes a 400 in Backstage backends and a clear task error in the scaffolder.
 *
 * @public
 */
export class CapaValidationError extends InputError {
  readonly issues: CapaValidationIssue[];

  constructor(subject: string, issues: CapaValidationIssue[]) {
    super(
      `Invalid ${subject}: ${issues.length} problem${
        issues.length === 1 ? '' : 's'
      }\n${issues
        .map(i => `- ${i.path || '(input)'}: ${i.message}`)
        .join('\n')}`,
    );
    this.issues = issues;
  }
}

/** Renders a zod path as `a.b[2].c`, quoting keys that are not identifiers (label keys). */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

function issueMessage(issue: ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    return 'is required';
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys
      .map(k => `"${k}"`)
      .join(', ')} (check the spelling; only documented fields are accepted)`;
  }
  return issue.message;
}

/**
 * Converts a ZodError into the project's error. Issues keep zod's order (fields in schema order,
 * then the cross-field rules), which is the same for the same input, so messages are stable.
 */
export function toValidationError(
  subject: string,
  error: ZodError,
): CapaValidationError {
  const issues = error.issues.map(i => ({
    path: formatPath(i.path),
    message: issueMessage(i),
  }));
  return new CapaValidationError(subject, issues);
}
