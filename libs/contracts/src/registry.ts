import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import {
  OperationEvents,
  OperationFinished,
  OperationItemsProgressed,
  OperationStarted,
  OperationStepChanged,
  OperationSubmitted,
} from './events/operation-lifecycle';
import { TrackerCancelRequested, TrackerEvents, TrackerOperationChanged, TrackerOperationDeleted } from './events/tracker-events';
import {
  CancelOperationRequest,
  CreateOperationRequest,
  GetOperationRequest,
  ItemFailureView,
  ListItemFailuresRequest,
  ListOperationsRequest,
  OperationView,
  Page,
  TrackerRpc,
} from './rpc/tracker-rpc';

/** Every routing key of the system mapped to the class its payload must satisfy. */
export const MESSAGE_CONTRACTS = {
  [OperationEvents.Submitted]: OperationSubmitted,
  [OperationEvents.Started]: OperationStarted,
  [OperationEvents.StepChanged]: OperationStepChanged,
  [OperationEvents.ItemsProgressed]: OperationItemsProgressed,
  [OperationEvents.Finished]: OperationFinished,
  [TrackerEvents.OperationChanged]: TrackerOperationChanged,
  [TrackerEvents.OperationDeleted]: TrackerOperationDeleted,
  [TrackerEvents.CancelRequested]: TrackerCancelRequested,
  [TrackerRpc.CreateOperation]: CreateOperationRequest,
  [TrackerRpc.GetOperation]: GetOperationRequest,
  [TrackerRpc.ListOperations]: ListOperationsRequest,
  [TrackerRpc.CancelOperation]: CancelOperationRequest,
  [TrackerRpc.ListItemFailures]: ListItemFailuresRequest,
} as const;

export type RoutingKey = keyof typeof MESSAGE_CONTRACTS;
export type PayloadOf<K extends RoutingKey> = InstanceType<(typeof MESSAGE_CONTRACTS)[K]>;

/** What each request/reply routing key answers with. */
export interface RpcResponses {
  [TrackerRpc.CreateOperation]: OperationView;
  [TrackerRpc.GetOperation]: OperationView;
  [TrackerRpc.ListOperations]: Page<OperationView>;
  [TrackerRpc.CancelOperation]: OperationView;
  [TrackerRpc.ListItemFailures]: Page<ItemFailureView>;
}
export type RpcRoutingKey = keyof RpcResponses;

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function isKnownRoutingKey(key: string): key is RoutingKey {
  return Object.prototype.hasOwnProperty.call(MESSAGE_CONTRACTS, key);
}

/** Validates a decoded body against its routing key's contract; messages name field and rule. */
export function validateMessage<K extends RoutingKey>(key: K, body: unknown): ValidationOutcome<PayloadOf<K>> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: ['body: must be a JSON object'] };
  }
  const cls = MESSAGE_CONTRACTS[key] as new () => PayloadOf<K>;
  const value = plainToInstance(cls, body);
  const errors = validateSync(value as object, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) return { ok: false, errors: describeValidationErrors(errors) };
  return { ok: true, value };
}

/** `field.path: rule message` lines, for logs, dead-letter reasons and 4xx bodies. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, msg]) => `${path}: ${rule}: ${msg}`);
    return own.concat(describeValidationErrors(e.children ?? [], path));
  });
}
