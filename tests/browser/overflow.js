() => {
  // Text the officer cannot read whole: an element whose content is wider than its box
  // (clipped or cut with an ellipsis), a chart label Vega cut with "…", or an SVG text that
  // reaches outside its chart.
  const out = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && s.fontSize !== '0px';
  };
  const name = (el) => (el.getAttribute('data-testid') || el.tagName.toLowerCase());
  const sel = ['[data-testid="stMetricValue"]', '[data-testid="stMetricLabel"]',
    '[data-testid="stMetricValue"] *', '[data-testid="stMetricLabel"] *',
    '[data-testid="stMetricDelta"]', 'button', 'button *', '[data-testid="stWidgetLabel"]',
    '[data-testid="stWidgetLabel"] *', '[role="tab"]', '[role="tab"] *',
    '[data-testid="stCaptionContainer"]', '[data-testid="stMarkdownContainer"] *',
    '[data-testid="stExpander"] summary *', '[data-testid="stSidebarNav"] *',
    '[data-baseweb="select"] *', '[data-testid="stRadio"] label *',
    '[data-testid="stFileUploaderDropzoneInstructions"] *'];
  for (const el of document.querySelectorAll(sel.join(','))) {
    if (!visible(el) || el.closest('[data-testid="stDataFrame"]')) continue;
    if (el.closest('[data-testid="stTooltipContent"]')) continue;
    const text = (el.innerText || '').trim();
    if (!text) continue;
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'
        || getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) {
      out.push(`${name(el)}: «${text.slice(0, 60)}» ${el.scrollWidth}>${el.clientWidth}`);
    }
  }
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    const svg = chart.querySelector('svg.marks');
    if (!svg || !visible(svg)) continue;
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const text = (t.textContent || '').trim();
      if (!text) continue;
      const b = t.getBoundingClientRect();
      if (b.width === 0) continue;
      if (text.endsWith('…')) out.push(`chart label cut: «${text}»`);
      // a glyph box reaches a few pixels above its letters (the font's ascent): 4 px allowed
      else if (b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 4
               || b.bottom > box.bottom + 4) out.push(`chart text outside its chart: «${text}»`);
    }
  }
  return out;
}
