/* The diagnosis table against one real example per cause (./examples.ts). */
import { diagnose, DiagnosisSignal, UNRECOGNISED_CAUSE } from './engine';
import { DIAGNOSIS_EXAMPLES as CASES } from './examples';
import { condition, event, failure } from './exampleSignals';
import { DIAGNOSIS_RULES } from './rules';

const CP = 'AWSManagedControlPlane';
const POOL = 'AWSManagedMachinePool';

describe('the diagnosis table', () => {
  it.each(CASES.map(c => [c.cause, c.from, c] as const))(
    'recognises %s (from %s)',
    (cause, _from, c) => {
      const [d, ...rest] = diagnose([c.signal], DIAGNOSIS_RULES);
      expect(rest).toEqual([]);
      expect(d.cause).toBe(cause);
      expect(d.evidence).toEqual([
        expect.objectContaining({
          source: c.signal.source,
          message: c.signal.message,
        }),
      ]);
      // Every placeholder was filled.
      expect(`${d.summary} ${d.fix}`).not.toMatch(/\{\w+\}/);
      expect(d.summary).toContain(c.says ?? '');
    },
  );

  it('has a case for every row, and rows with unique ids, a source and a fix', () => {
    const causes = DIAGNOSIS_RULES.map(r => r.cause);
    expect(new Set(causes).size).toBe(causes.length);
    expect(causes.filter(c => !CASES.some(k => k.cause === c))).toEqual([]);
    for (const r of DIAGNOSIS_RULES) {
      expect(r.source).not.toBe('');
      expect(r.fix).not.toBe('');
      expect(r.when.length).toBeGreaterThan(0);
    }
  });

  it('reads the AWS error from the sub-condition, not the step counter of Ready', () => {
    const ready = condition(
      CP,
      'Ready',
      'EKSControlPlaneReconciliationFailed',
      '7 of 11 completed',
    );
    expect(diagnose([ready], DIAGNOSIS_RULES)).toEqual([]);
  });

  it('shows a failure no row explains verbatim, and a False condition without severity not at all', () => {
    const odd = failure(POOL, 'something nobody has seen before');
    const progressing: DiagnosisSignal = {
      source: 'condition',
      kind: 'Cluster',
      name: 'prod',
      type: 'Available',
      status: 'False',
      reason: 'NotAvailable',
      message: '* ControlPlaneAvailable: not yet',
    };
    const [d, ...rest] = diagnose([odd, progressing], DIAGNOSIS_RULES);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      cause: UNRECOGNISED_CAUSE,
      severity: 'error',
      evidence: [
        {
          source: 'failure',
          kind: POOL,
          message: 'something nobody has seen before',
        },
      ],
    });
  });

  it('puts errors before warnings and gathers one cause seen twice into one diagnosis', () => {
    const signals = [
      CASES.find(c => c.cause === 'addon-not-active')!.signal,
      CASES.find(c => c.cause === 'quota-vpcs')!.signal,
      event(
        CP,
        'FailedCreateVPC',
        'Failed to create new managed VPC: VpcLimitExceeded: The maximum number of VPCs has been reached.',
      ),
    ];
    const found = diagnose(signals, DIAGNOSIS_RULES);
    expect(found.map(d => d.cause)).toEqual(['quota-vpcs', 'addon-not-active']);
    expect(found[0].evidence.map(e => e.source)).toEqual([
      'condition',
      'event',
    ]);
  });
});
