/**
 * Thrown by a handler for a message that can never succeed (bad data, broken invariant):
 * it goes to the dead-letter queue at once instead of being retried.
 */
export class PermanentMessageError extends Error {
  readonly code = 'PERMANENT_MESSAGE_FAILURE';
  constructor(message: string) {
    super(message);
    this.name = 'PermanentMessageError';
  }
}

/**
 * The broker is refusing publishes (a memory or disk alarm: `connection.blocked`). Work that
 * needs the broker is refused at once instead of waiting for an alarm of unknown length.
 */
export class BrokerBlockedError extends Error {
  readonly code = 'BROKER_BLOCKED';
  constructor(reason: string) {
    super(`the message broker is refusing new messages (${reason}); retry later`);
    this.name = 'BrokerBlockedError';
  }
}

/**
 * A message whose sender may not say what it says (e.g. a lifecycle event for another
 * producer's operation). It is dead-lettered for inspection, detached from the operation it
 * names, so nothing acting on dead letters changes that operation.
 */
export class UnauthorizedSenderError extends PermanentMessageError {
  readonly detachFromOperation = true;
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedSenderError';
  }
}
