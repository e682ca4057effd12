const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
const ACTION_ID = /^aa_([0-9a-f]{32})$/;

/**
 * An async action id is the tracker operation's uuid in Voucherify's `aa_` + hex form, so both
 * ids derive from one value and no lookup table can fall out of step: `aa_` + the 32 hex digits.
 */
export function toAsyncActionId(operationId: string): string {
  const m = UUID.exec(operationId);
  if (!m) throw new Error(`not a uuid: ${operationId}`);
  return `aa_${m.slice(1).join('').toLowerCase()}`;
}

/** The operation id of an async action id, or undefined for anything this API never issued. */
export function toOperationId(asyncActionId: string): string | undefined {
  const m = ACTION_ID.exec(asyncActionId);
  if (!m) return undefined;
  const h = m[1];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
