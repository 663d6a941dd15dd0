import {
  errorFromStatus,
  isObjectNotFound,
  notInstalledError,
  toBackstageError,
} from './errors';

const ctx = {
  cluster: 'mgmt',
  action: 'apply',
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  namespace: 'acme',
  name: 'prod',
};

describe('toBackstageError', () => {
  it.each([
    [
      'ENOTFOUND',
      'management cluster "mgmt" is unreachable (ENOTFOUND) while trying to apply Cluster acme/prod',
    ],
    [
      'EAI_AGAIN',
      'management cluster "mgmt" is unreachable (EAI_AGAIN) while trying to apply Cluster acme/prod',
    ],
    [
      'ECONNRESET',
      'management cluster "mgmt" is unreachable (ECONNRESET) while trying to apply Cluster acme/prod',
    ],
    [
      'ETIMEDOUT',
      'management cluster "mgmt" is unreachable (timeout) while trying to apply Cluster acme/prod',
    ],
  ])(
    'maps the network error %s to ServiceUnavailableError',
    (code, message) => {
      const fetchError = Object.assign(
        new Error(
          `request to https://mgmt.example.com/apis failed, reason: getaddrinfo ${code}`,
        ),
        {
          name: 'FetchError',
          code,
          type: 'system',
        },
      );
      const mapped = toBackstageError(fetchError, ctx);
      expect(mapped.name).toBe('ServiceUnavailableError');
      expect(mapped.message).toBe(message);
    },
  );

  it('names TLS failures', () => {
    const mapped = toBackstageError(
      Object.assign(new Error('self-signed'), {
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      }),
      ctx,
    );
    expect(mapped.message).toBe(
      'management cluster "mgmt": TLS verification of the API server failed (DEPTH_ZERO_SELF_SIGNED_CERT); check its URL and caData',
    );
  });

  it('reports unknown errors by type only, since their messages may quote credentials', () => {
    const mapped = toBackstageError(
      new TypeError('exec plugin printed token=abc123'),
      ctx,
    );
    expect(mapped.name).toBe('ServiceUnavailableError');
    expect(mapped.message).toBe(
      'management cluster "mgmt": cannot apply Cluster acme/prod: the request failed (TypeError)',
    );
  });

  it('maps the status of a watch that could not start (no body)', () => {
    expect(
      toBackstageError(
        Object.assign(new Error('Forbidden'), { statusCode: 403 }),
        { ...ctx, action: 'watch' },
      ).name,
    ).toBe('NotAllowedError');
  });
});

describe('errorFromStatus', () => {
  const status = (
    code: number,
    reason: string,
    message: string,
    details?: object,
  ) => ({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
    details,
  });

  it('maps AlreadyExists, BadRequest, throttling and unknown codes', () => {
    expect(
      errorFromStatus(
        409,
        status(409, 'AlreadyExists', 'clusters "prod" already exists'),
        ctx,
      ),
    ).toMatchObject({
      name: 'ConflictError',
      message:
        'management cluster "mgmt": cannot apply Cluster acme/prod: it already exists',
    });
    expect(
      errorFromStatus(
        400,
        status(400, 'BadRequest', 'the body could not be decoded'),
        ctx,
      ),
    ).toMatchObject({
      name: 'InputError',
      message:
        'management cluster "mgmt": cannot apply Cluster acme/prod: bad request (400): the body could not be decoded',
    });
    expect(
      errorFromStatus(429, status(429, 'TooManyRequests', 'slow down'), ctx)
        .name,
    ).toBe('ServiceUnavailableError');
    expect(errorFromStatus(418, undefined, ctx).message).toBe(
      'management cluster "mgmt": cannot apply Cluster acme/prod: unexpected HTTP status 418',
    );
  });

  it('groups conflicting fields by the field manager that owns them', () => {
    const body = status(409, 'Conflict', 'Apply failed with 3 conflicts', {
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl" using cluster.x-k8s.io/v1beta2',
          field: '.spec.paused',
        },
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl" using cluster.x-k8s.io/v1beta2',
          field: '.metadata.labels.a',
        },
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "flux" using cluster.x-k8s.io/v1beta2',
          field: '.spec.topology',
        },
      ],
    });
    expect(errorFromStatus(409, body, ctx).message).toBe(
      'management cluster "mgmt": cannot apply Cluster acme/prod: conflict: field manager "kubectl" owns .spec.paused, .metadata.labels.a; field manager "flux" owns .spec.topology. Apply with force to take these fields over, or change them through their owner',
    );
  });

  it('reads a 404 without a Status as a kind that is not served', () => {
    expect(errorFromStatus(404, '404 page not found', ctx).message).toMatch(
      /^CAPI is not installed on management cluster "mgmt"/,
    );
    expect(
      notInstalledError(
        'mgmt',
        'infrastructure.cluster.x-k8s.io/v1beta2',
        'AWSManagedMachinePool',
      ).message,
    ).toMatch(/^CAPA is not installed/);
    expect(notInstalledError('mgmt', 'example.com/v1', 'Widget').message).toBe(
      'management cluster "mgmt" does not serve example.com/v1 Widget',
    );
  });
});

describe('isObjectNotFound', () => {
  const notFound = (kind: string, name: string) => ({
    code: 404,
    body: JSON.stringify({
      kind: 'Status',
      reason: 'NotFound',
      details: { name, kind },
    }),
  });

  it('tells a missing object from a missing namespace', () => {
    expect(
      isObjectNotFound(notFound('clusters', 'prod'), {
        kind: 'Cluster',
        name: 'prod',
        namespace: 'acme',
      }),
    ).toBe(true);
    expect(
      isObjectNotFound(notFound('namespaces', 'acme'), {
        kind: 'Namespace',
        name: 'acme',
      }),
    ).toBe(true);
    expect(
      isObjectNotFound(notFound('namespaces', 'acme'), {
        kind: 'Cluster',
        name: 'acme',
        namespace: 'acme',
      }),
    ).toBe(false);
    expect(
      isObjectNotFound(
        { code: 404, body: '404 page not found' },
        { kind: 'Cluster', name: 'prod' },
      ),
    ).toBe(false);
    expect(
      isObjectNotFound(
        { code: 403, body: '' },
        { kind: 'Cluster', name: 'prod' },
      ),
    ).toBe(false);
  });
});
