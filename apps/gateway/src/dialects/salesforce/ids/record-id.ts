/** The codec lives in contracts so services that own records (order-placement) mint the same ids. */
export { checksumSuffix, decodeRecordId, encodeRecordId, ownerRecordId, salesforceDateTime, to18 } from '@asyncops/contracts';
export type { DecodedRecordId, RecordIdProblem } from '@asyncops/contracts';
