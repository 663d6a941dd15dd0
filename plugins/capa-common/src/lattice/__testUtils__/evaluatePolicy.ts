import type { LatticePolicyDocument, LatticePolicyStatement } from '../types';

/** A request to a Lattice service as its auth policy sees it: who signed it, with which session tags. */
export interface SampleRequest {
  /** The account of the calling role's session. */
  accountId: string;
  partition?: string;
  action?: string;
  /** Session tags, as EKS Pod Identity sets them (eks-cluster-name, kubernetes-namespace, ...). */
  tags: Record<string, string>;
}

function asList<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function principalMatches(s: LatticePolicyStatement, r: SampleRequest) {
  if (s.Principal === '*') return true;
  if (!s.Principal || !('AWS' in s.Principal)) return false;
  return asList(s.Principal.AWS).some(
    p =>
      p === '*' || p === `arn:${r.partition ?? 'aws'}:iam::${r.accountId}:root`,
  );
}

function conditionsMatch(s: LatticePolicyStatement, r: SampleRequest) {
  for (const [operator, conditions] of Object.entries(s.Condition ?? {})) {
    // Only what the renderer writes; anything else fails the test instead of being ignored.
    if (operator !== 'StringEquals')
      throw new Error(`evaluator does not know condition operator ${operator}`);
    for (const [key, value] of Object.entries(conditions)) {
      const m = /^aws:PrincipalTag\/(.+)$/.exec(key);
      if (!m) throw new Error(`evaluator does not know condition key ${key}`);
      if (r.tags[m[1]] !== value) return false;
    }
  }
  return true;
}

/**
 * A small IAM evaluator for auth policies: an explicit Deny wins, then any matching Allow admits,
 * otherwise the request is implicitly denied (as VPC Lattice answers "no service-based policy
 * allows").
 */
export function evaluate(
  policy: LatticePolicyDocument,
  request: SampleRequest,
): 'allowed' | 'denied' {
  const action = request.action ?? 'vpc-lattice-svcs:Invoke';
  const matching = policy.Statement.filter(
    s =>
      asList(s.Action).some(a => a === action || a === '*') &&
      principalMatches(s, request) &&
      conditionsMatch(s, request),
  );
  if (matching.some(s => s.Effect === 'Deny')) return 'denied';
  return matching.some(s => s.Effect === 'Allow') ? 'allowed' : 'denied';
}
