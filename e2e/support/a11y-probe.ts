/**
 * Scripts run in the page (as strings: the e2e project is typed for Node, not the DOM). They only
 * read the computed styles; the ratios are worked out in Node (`contrast.ts`).
 */

/** What a script reports of one element: its description and its backgrounds from itself outwards. */
export interface ProbedElement {
  readonly label: string;
  readonly backgrounds: readonly string[];
  /** The colour stops of a gradient drawn behind it (the walk stops there), else empty. */
  readonly gradientStops: readonly string[];
}

export interface TextSample extends ProbedElement {
  readonly color: string;
  /** The product of every ancestor's opacity, which fades the text. */
  readonly opacity: number;
  readonly fontSizePx: number;
  readonly fontWeight: number;
}

export interface Tabbable {
  readonly id: string;
  readonly label: string;
}

export interface ChartAxis extends ProbedElement {
  readonly color: string;
}

export interface FocusRing extends ProbedElement {
  /** The data-a11y-id of the focused element, or null when focus left the page's controls. */
  readonly id: string | null;
  readonly outlineStyle: string;
  readonly outlineWidthPx: number;
  readonly outlineColor: string;
  readonly boxShadow: string;
}

/** Shared helpers, defined in the page before each script. */
const helpers = `
  const describe = (element) => {
    const name = element.getAttribute('aria-label') ?? element.getAttribute('placeholder') ?? element.textContent ?? '';
    const classes = typeof element.className === 'string' && element.className !== '' ? '.' + element.className.trim().split(/\\s+/).join('.') : '';
    return element.tagName.toLowerCase() + classes + ' "' + name.trim().replace(/\\s+/g, ' ').slice(0, 60) + '"';
  };
  const backgroundsOf = (element) => {
    const backgrounds = [];
    for (let at = element; at !== null; at = at.parentElement) {
      const style = getComputedStyle(at);
      backgrounds.push(style.backgroundColor);
      if (style.backgroundImage.includes('gradient')) {
        return { backgrounds, gradientStops: style.backgroundImage.match(/(rgba?|color)\\([^)]*\\)/g) ?? [] };
      }
    }
    return { backgrounds, gradientStops: [] };
  };
  const shown = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && element.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  };
`;

/**
 * Every element showing text of its own (a non-blank text node, an input's value or placeholder),
 * rendered and not visually hidden; disabled controls are left out, as WCAG exempts them.
 */
export const textSamplesScript = `(() => {
  ${helpers}
  const opacityOf = (element) => {
    let opacity = 1;
    for (let at = element; at !== null; at = at.parentElement) opacity *= Number(getComputedStyle(at).opacity);
    return opacity;
  };
  const samples = [];
  const add = (element, pseudo) => {
    const style = getComputedStyle(element, pseudo);
    samples.push({
      label: describe(element) + (pseudo ?? ''),
      color: style.color,
      opacity: opacityOf(element),
      fontSizePx: parseFloat(style.fontSize),
      fontWeight: Number(style.fontWeight),
      ...backgroundsOf(element),
    });
  };
  for (const element of document.body.querySelectorAll('*')) {
    if (!shown(element) || element.closest(':disabled, [aria-disabled="true"]') !== null) continue;
    if (element.matches('input, textarea, select')) {
      if (element.value !== '') add(element);
      else if (element.placeholder) add(element, '::placeholder');
      continue;
    }
    const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== '');
    if (ownText) add(element);
  }
  return samples;
})()`;

/**
 * Tags every control Tab should stop at, in document order, with data-a11y-id: enabled, rendered,
 * tabIndex ≥ 0 (or a scroller without controls); of a radio group only the checked radio (arrows
 * move within the group).
 */
export const tabbablesScript = `(() => {
  ${helpers}
  const controls = 'a[href], button, input, select, textarea, summary, [tabindex]';
  // Chromium lets Tab stop at a scroller with no control inside, so its content can be scrolled by keyboard.
  const scroller = (element) => {
    const style = getComputedStyle(element);
    const scrolls = /auto|scroll/.test(style.overflowX + style.overflowY) && (element.scrollHeight > element.clientHeight || element.scrollWidth > element.clientWidth);
    return scrolls && element.querySelector(controls) === null;
  };
  const candidates = [...document.body.querySelectorAll('*')].filter((element) => element.matches(controls) || scroller(element));
  const tabbables = [];
  for (const element of candidates) {
    element.removeAttribute('data-a11y-id');
    if ((element.tabIndex < 0 && !scroller(element)) || element.matches(':disabled') || element.closest('[inert], [hidden]') !== null) continue;
    const box = element.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || !element.checkVisibility({ visibilityProperty: true })) continue;
    if (element.matches('input[type="radio"]') && !element.checked) {
      const group = document.querySelectorAll('input[type="radio"][name="' + CSS.escape(element.name) + '"]');
      if ([...group].some((radio) => radio.checked)) continue;
    }
    const id = String(tabbables.length);
    element.setAttribute('data-a11y-id', id);
    tabbables.push({ id, label: describe(element) });
  }
  const start = document.createElement('span');
  start.id = 'a11y-start';
  start.tabIndex = 0;
  document.body.prepend(start);
  start.focus();
  return tabbables;
})()`;

/** The focused element and the ring drawn for it (by itself, or by the wrapper of an invisible input). */
export const focusRingScript = `(() => {
  ${helpers}
  const active = document.activeElement;
  if (active === null || active === document.body || active.id === 'a11y-start') {
    const label = active === null ? 'nothing' : describe(active);
    return { id: null, label, outlineStyle: 'none', outlineWidthPx: 0, outlineColor: '', boxShadow: 'none', backgrounds: [], gradientStops: [] };
  }
  let ring = active;
  while (getComputedStyle(ring).opacity === '0' && ring.parentElement !== null) ring = ring.parentElement;
  const style = getComputedStyle(ring);
  return {
    id: active.getAttribute('data-a11y-id'),
    label: describe(active),
    outlineStyle: style.outlineStyle,
    outlineWidthPx: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    // The ring lies outside the element: it is seen against what is around it.
    ...(ring.parentElement === null ? { backgrounds: [], gradientStops: [] } : backgroundsOf(ring.parentElement)),
  };
})()`;

/** Removes the start marker the tabbables script put in. */
export const removeStartScript = `document.getElementById('a11y-start')?.remove()`;

/** Chart axes are drawn on a canvas, so not in the DOM: the colour the charts are given (`--chart-axis`), over each chart's backgrounds. */
export const chartAxesScript = `(() => {
  ${helpers}
  const axis = getComputedStyle(document.documentElement).getPropertyValue('--chart-axis').trim();
  return [...document.querySelectorAll('.uplot canvas')].map((canvas) => ({ label: describe(canvas.closest('.uplot').parentElement), color: axis, ...backgroundsOf(canvas) }));
})()`;
