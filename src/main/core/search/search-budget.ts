/**
 * The budgets one search works within, in one place (the memory budget module is meant to
 * derive them from MEMORY_THRESHOLD_MB later). A search reads its candidates one document at
 * a time and keeps nothing of them beyond the page it returns, so these bound what it holds.
 */
export { DEFAULT_PAGE_MATCHES, MAX_PAGE_MATCHES } from '../../../shared/search-limits';

const MIB = 1024 * 1024;

/**
 * Bytes of matched line text one page may hold (UTF-16, as the JavaScript heap stores it).
 * A page of 1,000 lines of a minified file could otherwise weigh a gigabyte; past this the
 * page ends early and its cursor continues where it stopped.
 */
export const PAGE_TEXT_BUDGET_BYTES = 4 * MIB;

/**
 * Bytes of candidate text held at once: the document being scanned plus the pieces of a line
 * longer than a document, joined once its end arrives. A longer line is refused with an error
 * (with the default MAX_FILE_SIZE of 1 MiB no line comes near it).
 */
export const CANDIDATE_TEXT_BUDGET_BYTES = 16 * MIB;

/** Milliseconds a page spends counting past itself for its totals; beyond, they are "at least". */
export const PAGE_COUNT_BUDGET_MS = 25;
