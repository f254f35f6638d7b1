// The editor page: a form (json-editor, from the kind's JSON Schema) and a YAML tab (CodeMirror 6) over one
// YAML text; every change is checked and previewed by the server (debounced), diagnostics are shown at the
// field, at the line and in a list. The YAML text is the document: the form's data is merged into it by the
// server (/api/bieu-mau, ruamel round-trip), so comments and key order survive.
(function () {
  const root = document.getElementById("soan-thao");
  const rel = root.dataset.duongDan;
  const kind = root.dataset.loai;
  const statusEl = document.getElementById("trang-thai");
  const frame = document.getElementById("xem-truoc");
  const list = document.getElementById("danh-sach-loi");
  const CM = window.QuycheCM;
  let text = document.getElementById("yaml-goc").value;
  let saved = text;
  let form = null;
  let formStale = false; // the YAML changed while the form was hidden
  let syncing = false; // setting one view from the other: not a user edit
  let frameReady = false;
  let pendingHtml = null;
  let seq = 0;
  let schema = null;

  const q = (p) => "?duong-dan=" + encodeURIComponent(rel) + (p || "");
  const headers = (type) => ({ "X-CSRF-Token": window.quyche.csrf(), "Content-Type": type });
  const setStatus = (t) => { statusEl.textContent = t; };
  function debounce(fn, ms) { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; }

  // --- YAML tab -----------------------------------------------------------------------------------------
  const lint = CM.linter(() => [], { delay: 100000 });
  const view = new CM.EditorView({
    parent: document.getElementById("yaml"),
    state: CM.EditorState.create({
      doc: text,
      extensions: [
        CM.basicSetup, CM.yaml(), lint, CM.lintGutter(), CM.EditorView.lineWrapping,
        CM.autocompletion({ override: [complete] }),
        CM.EditorView.updateListener.of((u) => {
          if (!u.docChanged || syncing) return;
          text = u.state.doc.toString();
          formStale = true;
          later();
        }),
      ],
    }),
  });

  function setYaml(t) {
    syncing = true;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } });
    syncing = false;
  }

  // Completion of keys from the JSON Schema: the properties of the mapping the cursor is in (by indentation).
  function complete(ctx) {
    if (!schema) return null;
    const word = ctx.matchBefore(/[a-z_]*/);
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    if (!/^\s*(- )?[a-z_]*$/.test(before)) return null;
    const indent = before.search(/[^\s-]|$/);
    const keys = [];
    let need = indent;
    for (let n = line.number - 1; n >= 1 && need > 0; n--) {
      const l = ctx.state.doc.line(n).text;
      const m = /^(\s*)(- )?([a-z_]+):/.exec(l);
      if (!m || !l.trim()) continue;
      const at = m[1].length + (m[2] ? 2 : 0);
      if (at < need) { keys.unshift(m[3]); need = m[1].length; if (m[2]) need = m[1].length; }
    }
    let node = schema;
    for (const k of keys) node = child(node, k);
    const props = node && node.properties ? node.properties : {};
    return {
      from: word.from,
      options: Object.entries(props).map(([k, v]) => ({ label: k, type: "property", detail: v.title || "", info: v.description || "", apply: k + ": " })),
    };
  }
  function deref(n) {
    while (n && n.$ref) n = schema.definitions[n.$ref.split("/").pop()];
    if (n && n.anyOf) n = n.anyOf.map(deref).find((x) => x && (x.properties || x.items)) || n;
    return n;
  }
  function child(n, k) {
    n = deref(n);
    if (n && n.type === "array") n = deref(n.items);
    return n && n.properties ? deref(n.properties[k]) : null;
  }

  // --- form ---------------------------------------------------------------------------------------------
  async function startForm(data) {
    const el = document.getElementById("bieu-mau");
    if (!kind) { el.textContent = "Chưa đọc được loại văn bản (loai): sửa trong thẻ YAML."; return; }
    if (!schema) schema = await (await fetch("/api/luoc-do/" + kind)).json();
    if (form) form.destroy();
    syncing = true;
    form = new JSONEditor(el, {
      schema, startval: data, theme: "html", iconlib: null, disable_edit_json: true, disable_properties: false,
      disable_collapse: false, disable_array_delete_last_row: true, disable_array_delete_all_rows: true,
      remove_empty_properties: true, show_errors: "never", no_additional_properties: true, prompt_before_delete: false,
    });
    baseline = null;
    form.on("ready", () => { baseline = form.getValue(); syncing = false; formStale = false; markFields(lastDiags); });
    form.on("change", () => { if (!syncing && baseline !== null) fromForm(); });
  }

  // Only what the clerk changed in the form goes to the YAML text: the differences from the form's value as
  // loaded, by path (the rest of the text, comments and shorthand forms included, is never rewritten).
  let baseline = null;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  function changes(a, b, path, out) {
    if (same(a, b)) return out;
    if (isMap(a) && isMap(b)) {
      for (const k of Object.keys(a)) if (!(k in b)) out.push({ duong_dan: [...path, k], xoa: true });
      for (const k of Object.keys(b)) {
        if (!(k in a)) out.push({ duong_dan: [...path, k], gia_tri: b[k] });
        else changes(a[k], b[k], [...path, k], out);
      }
    } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      b.forEach((v, i) => changes(a[i], v, [...path, i], out));
    } else if (path.length === 0) {
      out.push({ duong_dan: [], gia_tri: b });
    } else {
      out.push({ duong_dan: path, gia_tri: b });
    }
    return out;
  }

  // json-editor takes a field's value on "change" (when it loses focus); the preview follows the typing too
  const typed = debounce((target) => target.dispatchEvent(new Event("change", { bubbles: true })), 500);
  document.getElementById("bieu-mau").addEventListener("input", (e) => {
    if (e.target.matches("input[type=text], input:not([type]), textarea")) typed(e.target);
  });

  const fromForm = debounce(async () => {
    const now = form.getValue();
    const edits = changes(baseline, now, [], []);
    if (!edits.length) return;
    const r = await fetch("/api/bieu-mau" + q(), {
      method: "POST", headers: headers("application/json"), body: JSON.stringify({ yaml: text, thay_doi: edits }),
    });
    const body = await r.json();
    if (!r.ok) { setStatus(body.loi || "Không ghép được biểu mẫu."); return; }
    baseline = now;
    text = body.yaml;
    setYaml(text);
    refresh();
  }, 350);

  // --- check and preview -----------------------------------------------------------------------------------
  let lastDiags = [];
  const later = debounce(() => refresh(), 400);

  async function refresh() {
    const mine = ++seq;
    setStatus(text === saved ? "Đang kiểm tra…" : "Chưa lưu — đang kiểm tra…");
    const r = await fetch("/api/xem-truoc" + q(), { method: "POST", headers: { ...headers("text/yaml; charset=utf-8"), Accept: "application/json" }, body: text });
    if (mine !== seq) return; // a newer text was sent meanwhile
    const body = await r.json();
    if (!r.ok && !body.chan_doan) { setStatus(body.loi || "Lỗi " + r.status); return; }
    showDiags(body.chan_doan || []);
    if (body.html) preview(body.html);
    const errors = (body.chan_doan || []).filter((d) => d.muc_do === "loi").length;
    setStatus((text === saved ? "" : "Chưa lưu. ") + (errors ? errors + " lỗi — bản xem trước là bản hợp lệ gần nhất." : "Hợp lệ."));
    if (formStale && body.du_lieu && !form_is_focused()) { formStale = false; startForm(body.du_lieu); }
  }
  function form_is_focused() { return document.getElementById("bieu-mau").contains(document.activeElement); }

  function preview(html) {
    if (!frameReady) { pendingHtml = html; return; }
    frame.contentWindow.postMessage({ loai: "xem-truoc", html }, location.origin);
  }
  function frameUp() {
    frameReady = true;
    if (pendingHtml) { const h = pendingHtml; pendingHtml = null; preview(h); }
  }
  // the frame may have loaded before this (deferred) script ran: ask it directly too
  frame.addEventListener("load", () => { if (frame.contentWindow.PagedModule) frameUp(); });
  if (frame.contentDocument && frame.contentDocument.readyState === "complete" && frame.contentWindow.PagedModule) frameUp();
  window.addEventListener("message", (e) => {
    if (e.origin !== location.origin || e.source !== frame.contentWindow) return;
    if (e.data.loai === "khung-san-sang") frameUp();
    if (e.data.loai === "da-xem-truoc") root.dataset.soTrang = e.data.soTrang;
  });

  function showDiags(diags) {
    lastDiags = diags;
    list.replaceChildren(...diags.map((d) => {
      const li = document.createElement("li");
      li.className = d.muc_do === "loi" ? "loi" : "canh-bao";
      li.dataset.ma = d.ma;
      const where = d.dong ? d.dong + ":" + d.cot + " " : "";
      li.textContent = where + (d.muc_do === "loi" ? "lỗi" : "cảnh báo") + " [" + d.ma + "] " + d.message;
      if (d.goi_y) { const h = document.createElement("div"); h.className = "goi-y"; h.textContent = "gợi ý: " + d.goi_y; li.append(h); }
      if (d.dong) li.addEventListener("click", () => goTo(d));
      return li;
    }));
    document.getElementById("dem-loi").textContent = diags.length ? "(" + diags.length + ")" : "";
    const doc = view.state.doc;
    const marks = diags.filter((d) => d.dong && d.dong <= doc.lines).map((d) => {
      const line = doc.line(d.dong);
      const from = Math.min(line.from + Math.max(d.cot - 1, 0), line.to);
      return { from, to: Math.max(from, line.to), severity: d.muc_do === "loi" ? "error" : "warning", message: "[" + d.ma + "] " + d.message + (d.goi_y ? "\ngợi ý: " + d.goi_y : "") };
    });
    view.dispatch(CM.setDiagnostics(view.state, marks));
    markFields(diags);
  }

  // A diagnostic at its field: the deepest form element whose schema path is a prefix of the data path.
  function markFields(diags) {
    document.querySelectorAll(".loi-truong").forEach((e) => e.remove());
    document.querySelectorAll(".truong-co-loi").forEach((e) => e.classList.remove("truong-co-loi"));
    for (const d of diags) {
      if (!d.duong_dan) continue;
      let parts = ["root", ...d.duong_dan.map(String)];
      let box = null;
      while (parts.length > 1 && !box) {
        box = document.querySelector('#bieu-mau [data-schemapath="' + parts.join(".") + '"]');
        if (!box) parts = parts.slice(0, -1);
      }
      if (!box) continue;
      box.classList.add("truong-co-loi");
      const p = document.createElement("p");
      p.className = "loi-truong " + (d.muc_do === "loi" ? "loi" : "canh-bao");
      p.dataset.ma = d.ma;
      p.textContent = (d.dong ? "dòng " + d.dong + ":" + d.cot + " " : "") + "[" + d.ma + "] " + d.message + (d.goi_y ? " — gợi ý: " + d.goi_y : "");
      const leaf = ["string", "number", "integer", "boolean"].includes(box.dataset.schematype);
      const input = leaf ? box.querySelector("input, textarea, select") : null;
      (input || box).insertAdjacentElement(input ? "afterend" : "beforeend", p);
    }
  }

  function goTo(d) {
    showTab("yaml");
    const line = view.state.doc.line(Math.min(d.dong, view.state.doc.lines));
    const pos = Math.min(line.from + Math.max(d.cot - 1, 0), line.to);
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    view.focus();
  }

  // --- tabs, saving, downloads ----------------------------------------------------------------------------
  function showTab(name) {
    for (const b of document.querySelectorAll("[role=tab]")) {
      const on = b.dataset.tab === name;
      b.setAttribute("aria-selected", String(on));
      document.getElementById(b.dataset.tab).hidden = !on;
    }
    if (name === "yaml") view.requestMeasure();
    if (name === "bieu-mau" && formStale) refresh();
  }
  document.querySelectorAll("[role=tab]").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));

  document.getElementById("nut-luu").addEventListener("click", async () => {
    const r = await fetch("/api/luu" + q(), { method: "POST", headers: headers("text/yaml; charset=utf-8"), body: text });
    const body = await r.json();
    if (r.ok) { saved = text; setStatus("Đã lưu " + rel + (body.hop_le ? "." : " (còn lỗi).")); }
    else setStatus(body.loi || "Không lưu được.");
  });

  async function download(fmt) {
    setStatus("Đang xuất " + fmt + "…");
    const r = await fetch("/api/xuat" + q("&dinh-dang=" + fmt), { method: "POST", headers: headers("text/yaml; charset=utf-8"), body: text });
    if (!r.ok) { const b = await r.json(); showDiags(b.chan_doan || []); setStatus(b.loi || b.loi_xuat || "Văn bản còn lỗi: chưa xuất được."); return; }
    const blob = await r.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = rel.split("/").pop().replace(/\.ya?ml$/i, "") + "." + fmt;
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 10000);
    setStatus("Đã xuất " + a.download + ".");
  }
  document.getElementById("nut-docx").addEventListener("click", () => download("docx"));
  document.getElementById("nut-pdf").addEventListener("click", () => download("pdf"));
  // "Cấp số" (văn thư): the saved document takes its number from the register; the file comes back with so: N
  const issueButton = document.getElementById("nut-cap-so");
  if (issueButton) issueButton.addEventListener("click", async () => {
    if (!window.confirm("Cấp số từ sổ đăng ký cho văn bản này? Số đã cấp không dùng lại được (chỉ hủy số).")) return;
    if (text !== saved) {
      const s = await fetch("/api/luu" + q(), { method: "POST", headers: headers("text/yaml; charset=utf-8"), body: text });
      if (!s.ok) { setStatus("Chưa lưu được văn bản: chưa cấp số."); return; }
      saved = text;
    }
    issueButton.disabled = true;
    setStatus("Đang cấp số…");
    const r = await fetch("/api/cap-so" + q(), { method: "POST", headers: headers("text/plain") });
    const body = await r.json();
    if (!r.ok) {
      showDiags(body.chan_doan || []);
      setStatus(body.loi || "Chưa cấp được số: xem lỗi bên dưới.");
      issueButton.disabled = r.status !== 409;
      if (r.status === 409) issueButton.remove();
      return;
    }
    issueButton.remove();
    text = saved = body.yaml;
    setYaml(text);
    formStale = true;
    await refresh();
    setStatus("Đã cấp số " + body.so_ky_hieu + " (sổ " + body.so_ten + ", mã " + body.ma + ").");
  });
  window.addEventListener("beforeunload", (e) => { if (text !== saved) e.preventDefault(); });

  let start = {};
  try { start = JSON.parse(document.getElementById("du-lieu-dau").value); } catch (_) { /* the YAML tab shows why */ }
  startForm(start).then(refresh);
})();
