import {
  diagnose,
  DIAGNOSIS_EXAMPLES,
  DIAGNOSIS_RULES,
} from '@capa-backstage/plugin-capa-common';
import { screen, within } from '@testing-library/react';
import { mockCapaApi, provisionedView } from '../../__fixtures__';
import { renderCard } from './__testUtils__/renderCard';

// Rendering 42 cards, each a round trip through the (mocked) API.
jest.setTimeout(60_000);

describe('the diagnosis block of the cluster card', () => {
  it.each(DIAGNOSIS_EXAMPLES.map(e => [e.cause, e] as const))(
    'shows %s with its evidence verbatim, its fix and who applies it',
    async (cause, example) => {
      const diagnosis = diagnose([example.signal], DIAGNOSIS_RULES);
      const rule = DIAGNOSIS_RULES.find(r => r.cause === cause)!;
      const api = mockCapaApi();
      api.getCluster.mockResolvedValue({ ...provisionedView, diagnosis });
      renderCard({ api, scaffolder: true });

      const block = await screen.findByRole('region', {
        name: `Diagnosis: ${rule.title}`,
      });
      expect(block).toHaveTextContent(diagnosis[0].summary);
      expect(block).toHaveTextContent(`Fix: ${diagnosis[0].fix}`);
      expect(block).toHaveTextContent(
        /Fixed by: (the cluster's owners|the platform team|AWS support)/,
      );
      const evidence = within(block).getByLabelText('Evidence');
      expect(evidence).toHaveTextContent(
        `${example.signal.kind} ${example.signal.name}`,
      );
      expect(evidence.textContent).toContain(example.signal.message ?? '');
      // A template link exactly where the table names one (the user may run everything here).
      const links = within(block)
        .queryAllByRole('link')
        .map(a => a.getAttribute('href') ?? '');
      expect(links.length).toBe(rule.template ? 1 : 0);
    },
  );
});
