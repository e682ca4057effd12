import { ASYNC_ACTION_TYPES, JOB_TYPES } from '@asyncops/domain';

/**
 * A tracker operation is typed by a Salesforce JobType (seed 000) or, for work started through the
 * Voucherify surface, by its async action type (seed 001): one record model serves both dialects.
 */
export const OPERATION_JOB_TYPES: readonly string[] = [...JOB_TYPES, ...ASYNC_ACTION_TYPES];

/** Step names are open: seed 000's StepName values plus the step names of our own services. */
export const STEP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,79}$/;
/** The public API's words for a step name that does not match the pattern. */
export const STEP_NAME_MESSAGE = 'stepName must start with a letter and contain only letters, digits, _ . - (max 80)';

export const MAX_ITEM_FAILURES_PER_EVENT = 1000;
export const MAX_LIST_LIMIT = 200;

/** AMQP headers every message carries, so infrastructure can act without parsing bodies. */
export const Headers = {
  /** The tracker operation a message is about; lets a dead-lettered message fail its operation. */
  OperationId: 'x-operation-id',
  CorrelationId: 'x-correlation-id',
  Producer: 'x-producer',
  /** Set on messages the messaging layer dead-letters itself, with the handler's last error. */
  LastError: 'x-last-error',
  OriginalQueue: 'x-original-queue',
  OriginalRoutingKey: 'x-original-routing-key',
  /** The exchange a dead-lettered message was first published to; replays go back there. */
  OriginalExchange: 'x-original-exchange',
} as const;

/** Exchange roles; the topology prefixes them with the deployment's AMQP_PREFIX. */
export const ExchangeRole = {
  Commands: 'commands',
  Events: 'events',
  DeadLetter: 'dead-letter',
} as const;
export type ExchangeRole = (typeof ExchangeRole)[keyof typeof ExchangeRole];
