import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { responseError } from '../../__fixtures__';
import { CapaErrorPanel, classifyCapaError } from './CapaErrorPanel';

describe('classifyCapaError', () => {
  it.each([
    [404, 'Not Found', 'not-found'],
    [403, 'Forbidden', 'denied'],
    [401, 'Unauthorized', 'unauthenticated'],
    [502, 'Bad Gateway', 'unreachable'],
    [503, 'Service Unavailable', 'unreachable'],
    [504, 'Gateway Timeout', 'unreachable'],
    [500, 'Internal Server Error', 'failed'],
    [400, 'Bad Request', 'failed'],
  ])('sorts %i %s as %s', async (status, statusText, kind) => {
    expect(
      classifyCapaError(await responseError(status, statusText, 'Error', 'x')),
    ).toBe(kind);
  });

  it('treats a fetch that got no answer as unreachable', () => {
    expect(classifyCapaError(new TypeError('Failed to fetch'))).toBe(
      'unreachable',
    );
  });

  it('treats anything else as a failure', () => {
    expect(classifyCapaError(new Error('bad json'))).toBe('failed');
    expect(classifyCapaError('a string')).toBe('failed');
  });
});

describe('CapaErrorPanel', () => {
  it('asks to sign in again on 401', async () => {
    await renderInTestApp(
      <CapaErrorPanel
        error={await responseError(
          401,
          'Unauthorized',
          'AuthenticationError',
          'no token',
        )}
        subject="Clusters"
      />,
    );
    expect(screen.getByText('Warning: Not signed in')).toBeInTheDocument();
  });

  it('falls back to the server reason when no not-found text is given', async () => {
    await renderInTestApp(
      <CapaErrorPanel
        error={await responseError(
          404,
          'Not Found',
          'NotFoundError',
          'no such management cluster eu',
        )}
        subject="Cluster"
      />,
    );
    expect(screen.getByText('Warning: Cluster not found')).toBeInTheDocument();
    expect(
      screen.getByText('no such management cluster eu'),
    ).toBeInTheDocument();
  });
});
