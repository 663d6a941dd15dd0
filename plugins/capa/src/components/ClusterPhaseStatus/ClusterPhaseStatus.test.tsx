import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import type { ClusterPhase } from '@capa-backstage/plugin-capa-common';
import { ClusterPhaseStatus } from './ClusterPhaseStatus';

describe('ClusterPhaseStatus', () => {
  it.each<[ClusterPhase, string]>([
    ['Provisioned', 'Status ok'],
    ['Provisioning', 'Status running'],
    ['Pending', 'Status pending'],
    ['Deleting', 'Status warning'],
    ['Failed', 'Status error'],
    ['Unknown', 'Status aborted'],
  ])('shows %s as "%s"', (phase, status) => {
    renderInTestApp(<ClusterPhaseStatus phase={phase} />);
    expect(screen.getByLabelText(status)).toHaveTextContent(phase);
  });

  it('names a phase the projection did not recognise', () => {
    renderInTestApp(
      <ClusterPhaseStatus phase="Unknown" reportedPhase="Upgrading" />,
    );
    expect(screen.getByLabelText('Status aborted')).toHaveTextContent(
      'Unknown (reported as "Upgrading")',
    );
  });

  it('falls back to a neutral status for a phase it does not know', () => {
    renderInTestApp(
      <ClusterPhaseStatus phase={'Hibernating' as ClusterPhase} />,
    );
    expect(screen.getByLabelText('Status aborted')).toHaveTextContent(
      'Hibernating',
    );
  });
});
