// Where the preview's pages break: WeasyPrint's fragmentation rules for the blocks of render/pdf's HTML,
// applied to paged.js's layout, so that each preview page starts where the PDF's page does.
// paged.js finds the first content past the page's bottom; this handler moves that point as WeasyPrint would
// (CSS Fragmentation 3, §3 and §4.4, with templates/pdf/document.css's properties):
//  - a paragraph split keeps 2 lines on each page (orphans: 2; widows: 2), or moves whole;
//  - a paragraph with keep-together (break-inside: avoid), a rule line, a table row with cant-split, or a
//    table's first row moves whole;
//  - a block after one with break-after: avoid (.keep-next, table.keep, div.ngan-bang) takes the last lines of
//    that one along (a paragraph of 4 lines or more), else the whole of it, and so on back up the chain to the
//    first block of the page; a chain that fills the page breaks where the rules above put it;
//  - a table continued on a new page has its column widths and its header rows again (table-header-group).
(function () {
  if (typeof PagedModule === "undefined") return;

  const KEEP_WITH_NEXT = ".keep-next, table.keep, div.ngan-bang";
  const ORPHANS = 2;
  const WIDOWS = 2;

  function element(node) {
    return node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  }

  // the node the range starts at (a child of an element container, or the text node itself)
  function startNode(range) {
    const c = range.startContainer;
    if (c.nodeType === Node.TEXT_NODE) return c;
    return c.childNodes[range.startOffset] || c;
  }

  function lineBoxes(p) {
    const rects = [];
    const r = document.createRange();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      r.selectNodeContents(t);
      for (const rect of r.getClientRects()) if (rect.height > 0 && rect.width > 0) rects.push(rect);
    }
    rects.sort((a, b) => a.top - b.top);
    const lines = [];
    for (const rect of rects) {
      const last = lines[lines.length - 1];
      if (last && rect.top < last.bottom - 1) last.bottom = Math.max(last.bottom, rect.bottom);
      else lines.push({ top: rect.top, bottom: rect.bottom });
    }
    return lines;
  }

  // the text position where line ``k`` of ``p`` starts (the first letter at or below its top)
  function lineStart(p, lines, k) {
    const r = document.createRange();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const top = (lines[k - 1].bottom + lines[k].top) / 2;
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const text = t.nodeValue;
      for (let i = 0; i < text.length; i++) {
        if (/\s/.test(text[i]) || (i > 0 && !/\s/.test(text[i - 1]))) continue;
        r.setStart(t, i);
        r.setEnd(t, i + 1);
        const rect = r.getBoundingClientRect();
        if (rect.height > 0 && rect.top >= top) return [t, i];
      }
    }
    return null;
  }

  function before(node, rendered) {
    const r = document.createRange();
    r.setStartBefore(node);
    r.setEndAfter(rendered.lastChild);
    return r;
  }

  function at(textNode, offset, rendered) {
    const r = document.createRange();
    r.setStart(textNode, offset);
    r.setEndAfter(rendered.lastChild);
    return r;
  }

  function textBefore(block, range) {
    const r = document.createRange();
    r.setStart(block, 0);
    r.setEnd(range.startContainer, range.startOffset);
    return r.toString().trim();
  }

  // A paragraph that does not fit: [split position] or the index of the block to break before.
  function paragraph(p, index, bottom) {
    if (p.matches(".keep-together")) return { before: index };
    const lines = lineBoxes(p);
    let fit = lines.filter((l) => l.bottom <= bottom + 0.5).length;
    if (fit >= lines.length) return { before: index + 1 };
    if (lines.length - fit < WIDOWS) fit = lines.length - WIDOWS;
    if (fit < ORPHANS) return { before: index };
    const pos = lineStart(p, lines, fit);
    return pos ? { text: pos } : { before: index };
  }

  // The latest break inside a paragraph that keeps orphans and widows: its last WIDOWS lines go to the next page
  function linesAlong(p) {
    if (p.tagName !== "P" || p.matches(".keep-together")) return null;
    const lines = lineBoxes(p);
    const keep = lines.length - WIDOWS;
    return keep >= ORPHANS ? lineStart(p, lines, keep) : null;
  }

  // A table that does not fit: the row to break before, or the index of the block to break before.
  function table(t, index, start, range) {
    let row = element(start).closest("tr");
    while (row && row.closest("table") !== t) row = row.parentElement.closest("tr");
    if (!row || row.parentElement.tagName === "THEAD" || t.matches(".keep")) return { before: index };
    const body = Array.from(t.querySelectorAll(":scope > tbody > tr"));
    const whole = row.matches(".cant-split") || !textBefore(row, range);
    if (!whole) return null; // a row split across the pages: as paged.js found
    if (body[0] === row && !t.dataset.splitFrom) return { before: index };
    return body[0] === row ? null : { row };
  }

  class NgatTrang extends PagedModule.Handler {
    onOverflow(overflow, rendered, bounds) {
      if (!overflow) return undefined;
      const start = startNode(overflow);
      const section = element(start).closest("section.section");
      if (!section || !rendered.contains(section)) return undefined;
      let block = start;
      while (block && block.parentNode !== section) block = block.parentNode;
      if (block && block.nodeType !== Node.ELEMENT_NODE) block = block.nextElementSibling;
      if (!block) return undefined;
      const blocks = Array.from(section.children);
      const index = blocks.indexOf(block);
      let plan;
      if (block.tagName === "P") plan = textBefore(block, overflow) ? paragraph(block, index, bounds.bottom) : { before: index };
      else if (block.tagName === "TABLE") plan = table(block, index, start, overflow);
      else plan = { before: index };
      if (!plan) return undefined;
      if (plan.text) return at(plan.text[0], plan.text[1], rendered);
      if (plan.row) return before(plan.row, rendered);
      let i = plan.before;
      if (i >= blocks.length) return undefined;
      // break-after: avoid — WeasyPrint looks back for an earlier break: inside the block before (its last
      // lines go along, widows kept), else before it, and so on up the chain
      while (i > 0 && blocks[i - 1].matches(KEEP_WITH_NEXT)) {
        const inside = linesAlong(blocks[i - 1]);
        if (inside) return at(inside[0], inside[1], rendered);
        i--;
      }
      if (i === 0) i = plan.before; // the chain fills the page: WeasyPrint breaks where it must
      if (i === 0) return undefined;
      return before(blocks[i], rendered);
    }

    renderNode(clone, node) {
      if (clone.nodeType !== Node.ELEMENT_NODE || clone.tagName !== "TR") return;
      const t = clone.closest("table");
      const source = node.closest("table");
      if (!t || !source || !t.dataset.splitFrom || t.querySelector(":scope > colgroup")) return;
      const body = t.querySelector(":scope > tbody");
      for (const part of source.querySelectorAll(":scope > colgroup, :scope > thead")) {
        const copy = part.cloneNode(true);
        copy.querySelectorAll("[data-ref]").forEach((e) => e.removeAttribute("data-ref"));
        copy.removeAttribute("data-ref");
        copy.dataset.lapLai = "";
        t.insertBefore(copy, body);
      }
    }
  }

  PagedModule.registerHandlers(NgatTrang);
})();
