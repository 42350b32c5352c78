/** Most matches one search page holds; the contract refuses a larger `limit`. */
export const MAX_PAGE_MATCHES = 1000;

/** Matches per page when the caller gives no `limit`. */
export const DEFAULT_PAGE_MATCHES = 100;
