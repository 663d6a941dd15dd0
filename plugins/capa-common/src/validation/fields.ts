import { z } from 'zod/v3';
import { AWS_PARTITIONS, AwsPartition } from './aws';
import { formatPath } from './errors';
import { atMost, INPUT_LIMITS } from './limits';
import {
  ACCOUNT_ID,
  ACCOUNT_ID_RULE,
  DNS_LABEL,
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN,
  DNS_SUBDOMAIN_RULE,
  IAM_NAME,
  IAM_NAME_RULE,
  ROLE_ARN,
  ROLE_ARN_RULE,
  USER_ARN,
  USER_ARN_RULE,
  cidrProblem,
  labelKeyProblem,
  labelValueProblem,
  tagKeyProblem,
  tagValueProblem,
} from './rules';

// Field schemas and checks shared by the input schemas of every renderer.

export const dnsLabel = (max = 63) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(DNS_LABEL, DNS_LABEL_RULE);
export const dnsSubdomain = () =>
  z
    .string()
    .max(253, 'must be at most 253 characters')
    .regex(DNS_SUBDOMAIN, DNS_SUBDOMAIN_RULE);
export const accountId = () => z.string().regex(ACCOUNT_ID, ACCOUNT_ID_RULE);
export const iamName = () => z.string().regex(IAM_NAME, IAM_NAME_RULE);
export const roleArn = () => z.string().regex(ROLE_ARN, ROLE_ARN_RULE);
export const userArn = () => z.string().regex(USER_ARN, USER_ARN_RULE);
export const partition = () =>
  z.enum(AWS_PARTITIONS as [AwsPartition, ...AwsPartition[]], {
    errorMap: () => ({
      message: `must be one of ${AWS_PARTITIONS.join(', ')}`,
    }),
  });
export const cidr = (opts?: Parameters<typeof cidrProblem>[1]) =>
  z.string().superRefine((v, ctx) => {
    const problem = cidrProblem(v, opts);
    if (problem)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

/**
 * A map whose keys and values are each checked (problems name the offending key), with at most
 * `max` entries.
 */
export const checkedMap = (
  keyProblem: (k: string) => string | undefined,
  valueProblem: (v: string) => string | undefined,
  max: { count: number; rule: string },
) =>
  z.record(z.string()).superRefine((map, ctx) => {
    const entries = Object.entries(map);
    if (entries.length > max.count) {
      // One issue, before checking thousands of entries one by one.
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: max.rule });
      return;
    }
    for (const [k, v] of entries) {
      const problem = keyProblem(k) ?? valueProblem(v);
      if (problem)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [k],
          message: problem,
        });
    }
  });
export const labels = (
  count: number = INPUT_LIMITS.labels,
  why = 'Kubernetes labels',
) =>
  checkedMap(labelKeyProblem, labelValueProblem, {
    count,
    rule: atMost(count, 'labels', why),
  });
export const tags = () =>
  checkedMap(tagKeyProblem, tagValueProblem, {
    count: INPUT_LIMITS.tags,
    rule: atMost(
      INPUT_LIMITS.tags,
      'tags',
      'AWS allows 50 per resource; the renderer and CAPA add 3',
    ),
  });

/** An optional text field where "" (what a template form gives for an empty field) means absent. */
export const optionalText = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(v => (v === '' ? undefined : v), schema.optional());

export const issue = (
  ctx: z.RefinementCtx,
  path: (string | number)[],
  message: string,
) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

/** Reports the second and later occurrences of a value in a list. */
export function checkUnique<T>(
  ctx: z.RefinementCtx,
  items: T[],
  key: (item: T) => string,
  path: (index: number) => (string | number)[],
  what: string,
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) {
      // Name the first occurrence by its path: principals come from four lists, so an index alone
      // would be ambiguous.
      issue(
        ctx,
        path(i),
        `${what} "${k}" is used twice (also at ${formatPath(
          path(first),
        )}); ${what}s must be unique`,
      );
    } else {
      seen.set(k, i);
    }
  });
}
