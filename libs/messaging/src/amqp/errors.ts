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
