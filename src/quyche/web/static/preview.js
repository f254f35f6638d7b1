// The preview frame: receives the HTML of the PDF renderer (render.pdf.document_html) from the editor page
// and lays it out in A4 pages with paged.js, from the same @page rules and stylesheet WeasyPrint reads.
(function () {
  const host = document.getElementById("trang");
  let css = null;
  let busy = false;
  let queued = null;

  async function stylesheet() {
    if (css === null) {
      const r = await fetch("/xem-truoc/kieu.css", { credentials: "same-origin" });
      css = await r.text();
    }
    return css;
  }

  async function show(html) {
    if (busy) { queued = html; return; }
    busy = true;
    try {
      const doc = new DOMParser().parseFromString(html, "text/html");
      // The same page rules in paged.js's dialect. The first section's pages (s1) are paged.js's default pages;
      // "the first page of the named pages sN", written :nth(1 of sN) for WeasyPrint (CSS Paged Media 3), is
      // :first for s1 and sN:first for a later section (paged.js's pagedjs_sN_first_page).
      const inline = Array.from(doc.querySelectorAll("style"))
        .map((s) => s.textContent
          .replace(/@page\s+s1\s*\{/g, "@page {")
          .replace(/@page\s*:nth\(\s*1\s+of\s+s1\s*\)/g, "@page :first")
          .replace(/@page\s*:nth\(\s*1\s+of\s+([\w-]+)\s*\)/g, "@page $1:first"))
        .join("\n");
      // paged.js reads the "page" property from stylesheets only: each section's inline page name becomes a rule
      const names = [];
      doc.querySelectorAll("section.section[style]").forEach((el) => {
        const m = /(?:^|;)\s*page:\s*([\w-]+)/.exec(el.getAttribute("style"));
        if (m && m[1] !== "s1") { el.dataset.trangTen = m[1]; names.push(m[1]); }
      });
      const pageRules = names.map((n) => `section[data-trang-ten="${n}"] { page: ${n}; }`).join("\n");
      // a bordered table's lines are outlines in the preview (khung.css): a coloured frame (the urgency mark's
      // red) gives its colour to them
      doc.querySelectorAll("table.borders td").forEach((td) => {
        if (td.style.borderColor) td.style.outlineColor = td.style.borderColor;
      });
      const content = document.createElement("template");
      content.innerHTML = doc.body.innerHTML;
      const scroll = window.scrollY;
      // laid out in the document (paged.js measures), hidden until done, then swapped for the old pages
      const fresh = document.createElement("div");
      fresh.className = "en-cours";
      document.body.append(fresh);
      const base = await stylesheet();
      const previewer = new PagedModule.Previewer();
      // WeasyPrint starts a new page where the named page changes (each section: an appendix); paged.js
      // needs the break said (CSS Paged Media 3, §4.3 "page" property: a change of page name breaks)
      const named = "section.section + section.section { break-before: page; }";
      const sheets = [
        { [location.origin + "/xem-truoc/kieu.css"]: base },
        { [location.origin + "/xem-truoc/van-ban.css"]: inline + "\n" + pageRules + "\n" + named },
      ];
      // Paged.js adds its own <style> elements for each run: drop the previous run's
      document.querySelectorAll("style[data-pagedjs-inserted-styles]").forEach((s) => s.remove());
      const flow = await previewer.preview(content.content, sheets, fresh);
      fresh.className = "";
      host.replaceChildren(...fresh.childNodes);
      fresh.remove();
      document.body.dataset.soTrang = String(flow.total);
      window.scrollTo(0, scroll);
      parent.postMessage({ loai: "da-xem-truoc", soTrang: flow.total }, location.origin);
    } catch (err) {
      document.querySelectorAll(".en-cours").forEach((e) => e.remove());
      console.error("xem trước:", err);
      parent.postMessage({ loai: "loi-xem-truoc", loi: String(err) }, location.origin);
    } finally {
      busy = false;
      if (queued !== null) { const next = queued; queued = null; show(next); }
    }
  }

  // A4 (210 mm = 794 CSS px) scaled to the frame's width
  function fit() { document.documentElement.style.setProperty("--ty-le", String(Math.min(1, (window.innerWidth - 28) / 794))); }
  window.addEventListener("resize", fit);
  fit();

  window.addEventListener("message", (e) => {
    if (e.origin !== location.origin || e.source !== parent) return;
    if (e.data && e.data.loai === "xem-truoc") show(e.data.html);
  });
  parent.postMessage({ loai: "khung-san-sang" }, location.origin);
})();
