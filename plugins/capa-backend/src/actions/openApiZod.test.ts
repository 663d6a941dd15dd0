import { z } from 'zod/v3';
import { spec } from '../schema/openapi';
import { zodObjectOf, zodOfParameters, zodOfSchema } from './openApiZod';

describe('zod schemas from openapi.yaml', () => {
  it('converts every object schema of the spec', () => {
    const names = Object.entries(spec.components.schemas)
      .filter(([, s]) => (s as { type?: string }).type === 'object')
      .map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'ClusterList',
        'ClusterView',
        'KubeconfigResponse',
      ]),
    );
    for (const name of names)
      expect(() => zodObjectOf(z, name as any)).not.toThrow();
  });

  it('keeps required fields, enums, bounds and descriptions', () => {
    const principal = zodObjectOf(z, 'AccessPrincipalView');
    const row = {
      arn: 'arn:aws:iam::111122223333:role/admin',
      kind: 'role',
      via: 'access-entry',
      accessPolicies: ['AmazonEKSClusterAdminPolicy'],
    };
    expect(principal.parse(row)).toEqual(row);
    expect(principal.safeParse({ ...row, kind: 'group' }).success).toBe(false);
    expect(principal.safeParse({ ...row, arn: undefined }).success).toBe(false);
    expect(principal.description).toBe(
      'An IAM role or user that can reach the cluster, and how.',
    );

    const query = z.object(zodOfParameters(z, '/clusters'));
    expect(query.parse({})).toEqual({
      limit: 100,
      order: 'asc',
      facets: false,
    });
    expect(query.safeParse({ limit: 1001 }).success).toBe(false);
    expect(query.safeParse({ limit: 1.5 }).success).toBe(false);
    expect(query.safeParse({ cursor: 'not base64url!' }).success).toBe(false);
    expect(query.shape.limit.description).toBe('Page size.');
  });

  it('refuses a keyword it does not handle, so no rule of the spec is silently dropped', () => {
    expect(() =>
      zodOfSchema(z, { type: 'string', oneOf: [] } as any, 'Example'),
    ).toThrow('openapi.yaml Example: unsupported oneOf');
  });
});
