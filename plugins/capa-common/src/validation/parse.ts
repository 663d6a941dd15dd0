import type { ZodType, ZodTypeDef } from 'zod/v3';
import { toValidationError } from './errors';

/**
 * Validates input against a schema, throwing one CapaValidationError that lists every problem.
 *
 * @public
 */
export function parseInput<O, I>(
  schema: ZodType<O, ZodTypeDef, I>,
  input: unknown,
  subject: string,
): O {
  const result = schema.safeParse(input);
  if (!result.success) throw toValidationError(subject, result.error);
  return result.data;
}
