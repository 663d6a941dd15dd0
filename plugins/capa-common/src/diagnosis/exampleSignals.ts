/* Builders of the diagnosis examples' signals (./examples.ts), with the names CAPA writes. */
import type { DiagnosisSignal } from './engine';

export const CP = 'AWSManagedControlPlane';
export const POOL = 'AWSManagedMachinePool';

/** @internal */
export const condition = (
  kind: string,
  type: string,
  reason: string,
  message: string,
  severity: 'Error' | 'Warning' = 'Error',
): DiagnosisSignal => ({
  source: 'condition',
  kind,
  name: kind === POOL ? 'prod-general' : 'prod-control-plane',
  type,
  status: 'False',
  reason,
  message,
  severity,
});
/** @internal */
export const event = (
  kind: string,
  reason: string,
  message: string,
): DiagnosisSignal => ({
  source: 'event',
  kind,
  name: 'prod-control-plane',
  type: reason,
  message,
});
/** @internal */
export const failure = (kind: string, message: string): DiagnosisSignal => ({
  source: 'failure',
  kind,
  name: 'prod-general',
  type: 'failureMessage',
  message,
});

/**
 * A signal that shows one cause, and where its text was taken from.
 *
 * @public
 */
export interface DiagnosisExample {
  cause: string;
  from: string;
  signal: DiagnosisSignal;
  /** Text the summary must contain (placeholders filled). */
  says?: string;
}

export const sdkV2Error = (op: string, code: string, text: string) =>
  `operation error ${op}, https response error StatusCode: 400, RequestID: 1b959a68-9ab8-4e0b-8419-db26e3d38077, ${code}: ${text}`;
