/**
 * The budgets one search works within. The byte budgets come from the memory policy
 * (config/memory-budget.ts, `searchHold`): MEMORY_THRESHOLD_MB's default until the thread that
 * runs searches is told its settings (`useSearchHold`). A search reads its candidates one
 * document at a time and keeps nothing of them beyond the page it returns, so these bound
 * what it holds.
 */
import { searchHold, type MemoryBudget } from '../config/memory-budget';
import { definitions } from '../config/definitions';

export { DEFAULT_PAGE_MATCHES, MAX_PAGE_MATCHES } from '../../../shared/search-limits';

export type SearchHold = Pick<MemoryBudget, 'searchHoldBytes' | 'searchPageBytes'>;

let hold: SearchHold = searchHold(definitions.MEMORY_THRESHOLD_MB.default);

/** Sets this thread's search budgets (from the loaded settings' memory budget). */
export function useSearchHold(next: SearchHold): void {
  hold = { searchHoldBytes: next.searchHoldBytes, searchPageBytes: next.searchPageBytes };
}

/**
 * Estimated heap bytes of one page: its lines' text (UTF-16) and match ranges. A page of
 * 1,000 lines of a minified file could otherwise weigh a gigabyte, its `\w+` ranges ten times
 * its text; past this the page ends early and its cursor continues where it stopped.
 */
export function pageBudgetBytes(): number {
  return hold.searchPageBytes;
}

/**
 * Bytes of candidate text held at once: the document being scanned plus the pieces of a line
 * longer than a document, joined once its end arrives. A longer line is refused with an error
 * (with the default MAX_FILE_SIZE of 1 MiB no line comes near it).
 */
export function candidateBudgetBytes(): number {
  return hold.searchHoldBytes;
}

/** Heap bytes of one match range, a two-element array (header, elements, two small integers). */
export const RANGE_HEAP_BYTES = 48;

/**
 * Most match ranges kept for one line: a quarter of the page budget's worth. The ranges only
 * highlight; the line is reported whatever their number. Without a cap one minified line
 * held 681,000 `\w+` ranges, 51 MB of heap, more than the whole budget of a search.
 */
export function rangesPerLine(): number {
  return Math.max(1, Math.floor(hold.searchPageBytes / 4 / RANGE_HEAP_BYTES));
}

/** Heap bytes of one match's record besides its text and ranges. */
export const MATCH_HEAP_BYTES = 96;

/** Milliseconds a page spends counting past itself for its totals; beyond, they are "at least". */
export const PAGE_COUNT_BUDGET_MS = 25;
