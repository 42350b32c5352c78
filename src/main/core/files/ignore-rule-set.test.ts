import { describe, expect, it } from 'vitest';
import { IgnoreRuleSet, MAX_RULE_LENGTH } from './ignore-rule-set';

const rules = new IgnoreRuleSet().add(
  [
    '# a comment',
    '',
    '*.log',
    '!important.log',
    'build/',
    '/dist',
    'tmp-*',
    'file-[0-9].bak',
    '**/cache/**',
    'docs/**/draft.md',
    '*/generated/*.js',
    '[ab]c',
    'trailing\\ ',
    'spaces   ',
    '\\#hash',
  ].join('\n'),
);

describe('IgnoreRuleSet', () => {
  it.each([
    ['a/b/x.log', false, 'ignored'],
    ['a/important.log', false, 'included'],
    ['build', true, 'ignored'],
    ['src/build', true, 'ignored'],
    ['src/build', false, null],
    ['dist', true, 'ignored'],
    ['src/dist', true, null],
    ['tmp-1', false, 'ignored'],
    ['a/tmp-', false, 'ignored'],
    ['atmp-1', false, null],
    ['file-7.bak', false, 'ignored'],
    ['file-x.bak', false, null],
    ['deep/cache/x.txt', false, 'ignored'],
    ['deep/cache', true, null],
    ['deep/cachex/y', false, null],
    ['docs/draft.md', false, 'ignored'],
    ['docs/a/b/draft.md', false, 'ignored'],
    ['other/docs/draft.md', false, null],
    ['x/generated/a.js', false, 'ignored'],
    ['x/y/generated/a.js', false, null],
    ['bc', false, 'ignored'],
    ['cc', false, null],
    ['trailing ', false, 'ignored'],
    ['spaces', false, 'ignored'],
    ['#hash', false, 'ignored'],
    ['a comment', false, null],
  ] as const)('%s (folder: %s) is %s', (path, isFolder, verdict) => {
    expect(rules.test(path, isFolder)).toBe(verdict);
  });

  it('drops a line longer than MAX_RULE_LENGTH and counts it', () => {
    const set = new IgnoreRuleSet().add(`${'a'.repeat(MAX_RULE_LENGTH + 1)}\n*.log\n`);
    expect(set.size).toBe(1);
    expect(set.linesTooLong).toBe(1);
    expect(set.test('x.log', false)).toBe('ignored');
  });

  it('lets the last matching rule decide, whatever index found it', () => {
    const set = new IgnoreRuleSet().add('!keep.js\n*.js\n/src/*\n!src/keep.js\n');
    expect(set.test('keep.js', false)).toBe('ignored');
    expect(set.test('src/keep.js', false)).toBe('included');
    expect(set.test('src/other.txt', false)).toBe('ignored');
    expect(set.size).toBe(4);
  });
});
