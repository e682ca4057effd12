/**
 * The PostgreSQL schemas of the services that own SOQL objects. Each service creates and migrates
 * its own schema under these names; the gateway's read path (README "SOQL") reads the same tables,
 * so the names live here, where both sides import them.
 */
export const TRACKER_SCHEMA = 'tracker';
export const ORDER_PLACEMENT_SCHEMA = 'order_placement';
