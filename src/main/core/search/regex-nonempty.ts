/**
 * A pattern that can match the empty string (`(\w+\s?)*$`, `a*`) matches every line somewhere,
 * so the engine's cheap "does it match" answers yes and the search for match ranges (the
 * engine's NFA, the slowest part of a regex search) runs over the whole line only to find empty
 * matches, which have no range to report. `nonEmptyForm` gives a pattern matching every
 * non-empty match of the original (and possibly more): when it does not match a line, the
 * line has no range and the NFA is skipped.
 */
import type { RegexNode } from './regex-syntax';

/** Whether `node` may match the empty string (assertions aside: a superset is safe here). */
export function nullable(node: RegexNode): boolean {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return true;
    case 'char':
    case 'class':
      return false;
    case 'alternate':
      return node.nodes.some(nullable);
    case 'concat':
      return node.nodes.every(nullable);
    case 'repeat':
      return node.min === 0 || nullable(node.node);
  }
}

/**
 * A pattern whose matches include every non-empty match of `node`, or null when `node` only
 * matches the empty string. The empty parts before the first non-empty one are dropped, which
 * drops only their assertions: the form matches more, never less.
 */
export function nonEmptyForm(node: RegexNode): RegexNode | null {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return null;
    case 'char':
    case 'class':
      return node;
    case 'alternate':
      return alternateOf(node.nodes.map(nonEmptyForm));
    case 'repeat': {
      // Some copy is the first non-empty one; what follows it is any number of copies.
      const first = nonEmptyForm(node.node);
      return first === null ? null : { kind: 'concat', nodes: [first, { kind: 'repeat', node: node.node, min: 0, max: null, greedy: true }] };
    }
    case 'concat': {
      const options: (RegexNode | null)[] = [];
      for (const [index, child] of node.nodes.entries()) {
        const first = nonEmptyForm(child);
        options.push(first === null ? null : { kind: 'concat', nodes: [first, ...node.nodes.slice(index + 1)] });
        if (!nullable(child)) {
          break;
        }
      }
      return alternateOf(options);
    }
  }
}

function alternateOf(options: readonly (RegexNode | null)[]): RegexNode | null {
  const nodes = options.filter((option): option is RegexNode => option !== null);
  if (nodes.length <= 1) {
    return nodes[0] ?? null;
  }
  return { kind: 'alternate', nodes };
}
