/**
 * What literal text every match of a pattern must contain, as a boolean query over strings
 * (after Russ Cox's "Regular Expression Matching with a Trigram Index"): `use[A-Z]\w+State`
 * needs "use" AND "State", `(foo|bar)baz` needs "foobaz" OR "barbaz". The analysis is
 * conservative: whatever it does not understand becomes `all` (no requirement), so the
 * query may admit more lines than the regex matches, never fewer. It reads the tree
 * regex-syntax.ts parses, so it knows every construct the matcher does.
 */
import { parseRegex, type RegexNode } from './regex-syntax';

export type LiteralQuery =
  | { readonly kind: 'all' }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'and'; readonly parts: readonly LiteralQuery[] }
  | { readonly kind: 'or'; readonly parts: readonly LiteralQuery[] };

export const ALL: LiteralQuery = { kind: 'all' };

/**
 * Exact sets bigger than this become queries: cross products grow fast. Every exact set is
 * kept at or under it. Larger sets would only pay with a case-sensitive index: with case
 * folded, `use[A-Z]` as useA ... useZ narrows nothing beyond "use" and costs 26 lookups.
 */
const MAX_EXACT = 16;
/** Character classes with at most this many members are exact sets. */
const MAX_CLASS = 8;

/** A node's analysis: every string it can match when that set is small, else a query. */
interface Info {
  readonly exact: readonly string[] | null;
  readonly query: LiteralQuery;
}

const ANY: Info = { exact: null, query: ALL };
const EMPTY: Info = { exact: [''], query: ALL };

export function stringQuery(text: string): LiteralQuery {
  return text.length === 0 ? ALL : { kind: 'string', text };
}

export function andQuery(parts: readonly LiteralQuery[]): LiteralQuery {
  const flat: LiteralQuery[] = [];
  for (const part of parts) {
    if (part.kind === 'and') {
      flat.push(...part.parts);
    } else if (part.kind !== 'all') {
      flat.push(part);
    }
  }
  return flat.length === 0 ? ALL : flat.length === 1 ? (flat[0] as LiteralQuery) : { kind: 'and', parts: flat };
}

export function orQuery(parts: readonly LiteralQuery[]): LiteralQuery {
  const flat: LiteralQuery[] = [];
  for (const part of parts) {
    if (part.kind === 'all') {
      return ALL;
    }
    if (part.kind === 'or') {
      flat.push(...part.parts);
    } else {
      flat.push(part);
    }
  }
  const unique = [...new Map(flat.map((part) => [JSON.stringify(part), part])).values()];
  return unique.length === 0 ? ALL : unique.length === 1 ? (unique[0] as LiteralQuery) : { kind: 'or', parts: unique };
}

function toQuery(info: Info): LiteralQuery {
  return info.exact === null ? info.query : orQuery(info.exact.map(stringQuery));
}

/**
 * The literal query every match of `pattern` (rg's syntax, regex-syntax.ts) satisfies. Case
 * is not considered here: with ignore-case the caller folds the strings.
 */
export function regexQuery(pattern: string, ignoreCase = false): LiteralQuery {
  return literalQuery(parseRegex(pattern, ignoreCase), ignoreCase);
}

/**
 * The literal query of a parsed pattern. `ignoreCase` says the caller folds the strings (rg's
 * `-i`); without it, a part made case-insensitive by `(?i)` requires nothing, since its text
 * may appear in any case.
 */
export function literalQuery(node: RegexNode, ignoreCase: boolean): LiteralQuery {
  return toQuery(analyse(node, ignoreCase));
}

function analyse(node: RegexNode, folded: boolean): Info {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return EMPTY;
    case 'char':
      return node.ignoreCase && !folded ? ANY : { exact: [String.fromCodePoint(node.code)], query: ALL };
    case 'class':
      return classInfo(node, folded);
    case 'concat':
      return sequence(node.nodes.map((child) => analyse(child, folded)));
    case 'alternate':
      return alternation(node.nodes.map((child) => analyse(child, folded)));
    case 'repeat':
      return repetition(analyse(node.node, folded), node.min, node.max);
  }
}

/** A class of at most MAX_CLASS characters is an exact set of single characters; others match anything. */
function classInfo(node: Extract<RegexNode, { kind: 'class' }>, folded: boolean): Info {
  if (node.negated || (node.ignoreCase && !folded)) {
    return ANY;
  }
  let size = 0;
  for (const [low, high] of node.set) {
    size += high - low + 1;
    if (size > MAX_CLASS) {
      return ANY;
    }
  }
  const members: string[] = [];
  for (const [low, high] of node.set) {
    for (let code = low; code <= high; code += 1) {
      members.push(String.fromCodePoint(code));
    }
  }
  // An empty class matches nothing; requiring nothing stays sound.
  return members.length === 0 ? ANY : { exact: members, query: ALL };
}

function alternation(branches: readonly Info[]): Info {
  if (branches.length === 1) {
    return branches[0] as Info;
  }
  const exact = branches.every((branch) => branch.exact !== null) ? [...new Set(branches.flatMap((branch) => branch.exact as string[]))] : null;
  if (exact !== null && exact.length <= MAX_EXACT) {
    return { exact, query: ALL };
  }
  return { exact: null, query: orQuery(branches.map(toQuery)) };
}

function sequence(items: readonly Info[]): Info {
  const parts: LiteralQuery[] = [];
  // The exact strings of the run of exact items since the last inexact one.
  let run: string[] = [''];
  let exact = true;
  for (const item of items) {
    // The cross product is bounded before it is built: the run never exceeds MAX_EXACT.
    if (item.exact !== null && run.length * item.exact.length <= MAX_EXACT) {
      run = run.flatMap((prefix) => (item.exact as string[]).map((suffix) => prefix + suffix));
      continue;
    }
    exact = false;
    parts.push(orQuery(run.map(stringQuery)));
    if (item.exact !== null) {
      run = [...item.exact];
    } else {
      parts.push(item.query);
      run = [''];
    }
  }
  if (exact) {
    return { exact: [...new Set(run)], query: ALL };
  }
  parts.push(orQuery(run.map(stringQuery)));
  return { exact: null, query: andQuery(parts) };
}

function repetition(atom: Info, min: number, max: number | null): Info {
  if (min === 0) {
    if (max !== 1 || atom.exact === null) {
      return ANY;
    }
    const exact = [...new Set([...atom.exact, ''])];
    // Optional, so it requires nothing on its own: too big a set is simply dropped.
    return exact.length <= MAX_EXACT ? { exact, query: ALL } : ANY;
  }
  if (min === 1 && max === 1) {
    return atom;
  }
  return { exact: null, query: toQuery(atom) };
}
