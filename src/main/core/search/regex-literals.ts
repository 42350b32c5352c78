/**
 * The literal runs every match of a JavaScript regular expression must contain, read off
 * the top level of the pattern only: groups, classes, escapes with a meaning and optional
 * characters end a run, and a top-level `|` means no run is required. Conservative: a run
 * it returns is always required; it may miss some that are.
 */
export function requiredLiterals(pattern: string): string[] {
  const runs: string[] = [];
  let run = '';
  const endRun = (): void => {
    if (run.length > 0) {
      runs.push(run);
    }
    run = '';
  };
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index] as string;
    if (char === '\\') {
      const escaped = pattern[index + 1];
      if (escaped !== undefined && !/[A-Za-z0-9]/.test(escaped)) {
        run += escaped;
      } else {
        endRun();
      }
      index += 2;
      continue;
    }
    if (char === '|') {
      return [];
    }
    if (char === '[') {
      endRun();
      index = skipClass(pattern, index);
      continue;
    }
    if (char === '(') {
      endRun();
      index = skipGroup(pattern, index);
      continue;
    }
    if (char === '*' || char === '?') {
      run = run.slice(0, -1);
      endRun();
      index += 1;
      continue;
    }
    if (char === '+') {
      endRun();
      index += 1;
      continue;
    }
    if (char === '{') {
      const quantifier = /^\{(\d+)(,\d*)?\}/.exec(pattern.slice(index));
      if (quantifier !== null) {
        if (Number(quantifier[1]) === 0) {
          run = run.slice(0, -1);
        }
        endRun();
        index += quantifier[0].length;
        continue;
      }
      run += char;
      index += 1;
      continue;
    }
    if (char === '.' || char === '^' || char === '$') {
      endRun();
      index += 1;
      continue;
    }
    // A literal character; a quantifier right after it is handled on the next step.
    run += char;
    index += 1;
  }
  endRun();
  // A run's last character is followed by a quantifier when one comes next; runs were
  // trimmed of it above, so every run left is required.
  return runs;
}

function skipClass(pattern: string, start: number): number {
  let index = start + 1;
  if (pattern[index] === '^') {
    index += 1;
  }
  while (index < pattern.length) {
    const char = pattern[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === ']') {
      return index + 1;
    }
    index += 1;
  }
  return index;
}

function skipGroup(pattern: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < pattern.length) {
    const char = pattern[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === '[') {
      index = skipClass(pattern, index);
      continue;
    }
    if (char === '(') {
      depth += 1;
    } else if (char === ')') {
      depth -= 1;
      if (depth === 0) {
        return index + 1;
      }
    }
    index += 1;
  }
  return index;
}
