/** Key prefixes of the order objects' record ids (the first three characters of every id). */
export const PENDING_ORDER_SUMMARY_KEY_PREFIX = '0ps';
export const ORDER_SUMMARY_KEY_PREFIX = '1Os';
export const ACCOUNT_KEY_PREFIX = '001';
export const CONTACT_KEY_PREFIX = '003';

/** The currencies orders may be placed in (seed 002's CurrencyIsoCode picklist). */
export const ORDER_CURRENCY_CODES = ['DKK', 'EUR', 'GBP', 'USD'] as const;
