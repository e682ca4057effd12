import { decodePendingOrderPayload, InflateBudget, PAYLOAD_TYPES, PayloadError, PayloadLimits, DEFAULT_PAYLOAD_LIMITS, PayloadType } from './pending-order-payload';
import { ACCOUNT_MATCHING, AccountMatching, CURRENCY_AMOUNT_PATTERN, DEFAULT_PENDING_ORDER_CURRENCY, PENDING_ORDER_CURRENCIES, PendingOrderRecord } from './pending-orders';

/** One entry of a Salesforce error array, naming the field(s) and the rule. */
export interface PendingOrderInputError {
  message: string;
  errorCode: string;
  fields: string[];
}

export type PendingOrderInputOutcome = { ok: true; value: PendingOrderRecord } | { ok: false; errors: PendingOrderInputError[] };

/** Fields a client may set on create, by API name. */
const CREATEABLE = [
  'BillingEmailAddress',
  'BillingPhoneNumber',
  'CurrencyIsoCode',
  'Description',
  'ExternalReferenceIdentifier',
  'GrandTotalAmount',
  'OrderNumber',
  'OrderedDate',
  'Payload',
  'PayloadType',
  'ProcessingInstructions',
  'SalesChannelId',
  'SalesStoreId',
  'ShopperName',
] as const;
/**
 * Fields of the object that are not set on create: Id is assigned, ExternalId is internal (seed
 * 002), AccountId and BillToContactId are resolved by the conversion from ProcessingInstructions.
 */
const NOT_CREATEABLE = ['Id', 'ExternalId', 'AccountId', 'BillToContactId'];
const REQUIRED = ['ExternalReferenceIdentifier', 'OrderNumber', 'OrderedDate', 'ShopperName', 'BillingEmailAddress', 'GrandTotalAmount', 'Payload'] as const;
const STRING_LENGTHS: Record<string, number> = {
  ExternalReferenceIdentifier: 255,
  OrderNumber: 255,
  ShopperName: 255,
  BillingEmailAddress: 80,
  BillingPhoneNumber: 40,
  Description: 255,
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RECORD_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const err = (errorCode: string, field: string, message: string): PendingOrderInputError => ({ errorCode, message, fields: [field] });

/** ProcessingInstructions: absent means match by email; otherwise a JSON object naming the method. */
export function accountMatchingOf(instructions: string | null | undefined): AccountMatching {
  if (instructions === null || instructions === undefined || instructions.trim() === '') return 'Email';
  const parsed = JSON.parse(instructions) as { accountMatching?: AccountMatching };
  return parsed.accountMatching ?? 'Email';
}

function checkInstructions(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'ProcessingInstructions: must be a JSON object such as {"accountMatching":"Email"}';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'ProcessingInstructions: must be a JSON object';
  const m = (parsed as Record<string, unknown>).accountMatching;
  if (m !== undefined && !(ACCOUNT_MATCHING as readonly unknown[]).includes(m)) return `ProcessingInstructions: accountMatching must be one of ${ACCOUNT_MATCHING.join(', ')}`;
  return undefined;
}

/** A JSON number only when it prints back exactly; otherwise the client must send a string. */
function amountOf(v: unknown): string | undefined {
  if (typeof v === 'string') return CURRENCY_AMOUNT_PATTERN.test(v) ? v : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) {
    const s = String(v);
    return CURRENCY_AMOUNT_PATTERN.test(s) ? s : undefined;
  }
  return undefined;
}

/**
 * Checks one create body (Salesforce API names) and turns it into the record order-placement
 * stores. Every problem is reported, each naming its field and rule, in Salesforce's codes. A
 * JSON_GZIP payload is inflated under `budget`, which the caller shares across one request.
 */
export async function checkPendingOrderInput(
  body: unknown,
  budget: InflateBudget = InflateBudget.unlimited(),
  limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
): Promise<PendingOrderInputOutcome> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: [{ errorCode: 'JSON_PARSER_ERROR', message: 'The record must be a JSON object', fields: [] }] };
  }
  const raw = body as Record<string, unknown>;
  const errors: PendingOrderInputError[] = [];
  const byName = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'attributes') continue;
    const known = CREATEABLE.find((f) => f.toLowerCase() === key.toLowerCase());
    if (known) byName.set(known, value);
    else if (NOT_CREATEABLE.some((f) => f.toLowerCase() === key.toLowerCase())) errors.push(err('INVALID_FIELD_FOR_INSERT_UPDATE', key, `Unable to create/update fields: ${key}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`));
    else errors.push(err('INVALID_FIELD', key, `No such column '${key}' on sobject of type PendingOrderSummary`));
  }
  const present = (f: string) => byName.has(f) && byName.get(f) !== null && byName.get(f) !== '';
  const missing = REQUIRED.filter((f) => !present(f));
  if (missing.length) errors.push({ errorCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${missing.join(', ')}]`, fields: [...missing] });

  const str = (f: string): string | undefined => {
    const v = byName.get(f);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') {
      errors.push(err('INVALID_TYPE_ON_FIELD_IN_RECORD', f, `${f}: value not of required type: ${JSON.stringify(v)}`));
      return undefined;
    }
    const max = STRING_LENGTHS[f];
    if (max && v.length > max) {
      errors.push(err('STRING_TOO_LONG', f, `${f}: data value too large: max length=${max}`));
      return undefined;
    }
    return v;
  };

  const externalReferenceIdentifier = str('ExternalReferenceIdentifier');
  const orderNumber = str('OrderNumber');
  const shopperName = str('ShopperName');
  const billingEmailAddress = str('BillingEmailAddress');
  if (billingEmailAddress !== undefined && !EMAIL.test(billingEmailAddress)) errors.push(err('INVALID_EMAIL_ADDRESS', 'BillingEmailAddress', `BillingEmailAddress: invalid email address: ${billingEmailAddress}`));
  const billingPhoneNumber = str('BillingPhoneNumber');
  const description = str('Description');

  const orderedDateRaw = str('OrderedDate');
  let orderedDate: string | undefined;
  if (orderedDateRaw !== undefined) {
    const t = Date.parse(orderedDateRaw);
    if (!ISO_DATE_TIME.test(orderedDateRaw) || Number.isNaN(t)) errors.push(err('INVALID_TYPE_ON_FIELD_IN_RECORD', 'OrderedDate', `OrderedDate: value not of required type dateTime: ${orderedDateRaw}`));
    else orderedDate = new Date(t).toISOString();
  }

  let currencyIsoCode: string = DEFAULT_PENDING_ORDER_CURRENCY;
  if (present('CurrencyIsoCode')) {
    const c = byName.get('CurrencyIsoCode');
    if (typeof c !== 'string' || !(PENDING_ORDER_CURRENCIES as readonly string[]).includes(c)) {
      errors.push(err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'CurrencyIsoCode', `Currency ISO Code: invalid currency code: ${String(c)} (allowed: ${PENDING_ORDER_CURRENCIES.join(', ')})`));
    } else currencyIsoCode = c;
  }

  let grandTotalAmount: string | undefined;
  if (present('GrandTotalAmount')) {
    grandTotalAmount = amountOf(byName.get('GrandTotalAmount'));
    if (grandTotalAmount === undefined) errors.push(err('INVALID_TYPE_ON_FIELD_IN_RECORD', 'GrandTotalAmount', 'GrandTotalAmount: must be a decimal amount with at most 16 integer digits and 2 decimals (send a string to keep it exact)'));
  }

  let payloadType: PayloadType = 'JSON_RAW';
  if (present('PayloadType')) {
    const p = byName.get('PayloadType');
    if (typeof p !== 'string' || !(PAYLOAD_TYPES as readonly string[]).includes(p)) {
      errors.push(err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'PayloadType', `PayloadType: bad value for restricted picklist field: ${String(p)} (allowed: ${PAYLOAD_TYPES.join(', ')})`));
      payloadType = 'JSON_RAW';
    } else payloadType = p as PayloadType;
  }

  const payloadValue = byName.get('Payload');
  let payload: string | undefined;
  if (present('Payload')) {
    if (typeof payloadValue !== 'string') errors.push(err('INVALID_TYPE_ON_FIELD_IN_RECORD', 'Payload', 'Payload: must be a string (JSON text, or base64 of gzip for JSON_GZIP)'));
    else if (!errors.some((e) => e.fields.includes('PayloadType'))) {
      try {
        await decodePendingOrderPayload(payloadValue, payloadType, limits, budget);
        payload = payloadValue;
      } catch (e) {
        if (!(e instanceof PayloadError)) throw e;
        errors.push(err(e.code === 'PAYLOAD_TOO_LARGE' ? 'STRING_TOO_LONG' : 'FIELD_INTEGRITY_EXCEPTION', 'Payload', e.message));
      }
    }
  }

  const processingInstructions = str('ProcessingInstructions');
  if (processingInstructions !== undefined) {
    const problem = checkInstructions(processingInstructions);
    if (problem) errors.push(err('FIELD_INTEGRITY_EXCEPTION', 'ProcessingInstructions', problem));
  }
  const refs: Record<string, string | undefined> = {};
  for (const f of ['SalesChannelId', 'SalesStoreId']) {
    const v = str(f);
    if (v !== undefined && !RECORD_ID.test(v)) errors.push(err('MALFORMED_ID', f, `${f}: id value of incorrect type: ${v}`));
    refs[f] = v;
  }

  if (errors.length) return { ok: false, errors };
  const value: PendingOrderRecord = {
    externalReferenceIdentifier: externalReferenceIdentifier as string,
    orderNumber: orderNumber as string,
    orderedDate: orderedDate as string,
    shopperName: shopperName as string,
    billingEmailAddress: billingEmailAddress as string,
    currencyIsoCode,
    grandTotalAmount: grandTotalAmount as string,
    payload: payload as string,
    payloadType,
    ...(billingPhoneNumber !== undefined ? { billingPhoneNumber } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(processingInstructions !== undefined ? { processingInstructions } : {}),
    ...(refs.SalesChannelId !== undefined ? { salesChannelId: refs.SalesChannelId } : {}),
    ...(refs.SalesStoreId !== undefined ? { salesStoreId: refs.SalesStoreId } : {}),
  };
  return { ok: true, value };
}
