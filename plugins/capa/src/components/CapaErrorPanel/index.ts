export {
  CapaErrorPanel,
  classifyCapaError,
  serverReason,
} from './CapaErrorPanel';
export type { CapaErrorKind, CapaErrorPanelProps } from './CapaErrorPanel';
