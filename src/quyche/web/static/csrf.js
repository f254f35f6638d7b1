// Shared by every page: the session's CSRF token for fetch() calls (htmx sends it from <body hx-headers>),
// and refusals (4xx with {"loi": …}) shown where the request would have put its answer.
window.quyche = {
  csrf: () => document.querySelector('meta[name="csrf-token"]').content,
};
document.addEventListener("htmx:responseError", (e) => {
  const xhr = e.detail.xhr;
  let text = xhr.statusText || "Lỗi " + xhr.status;
  try { text = JSON.parse(xhr.responseText).loi || text; } catch (_) { /* not JSON */ }
  const target = e.detail.target;
  if (target) {
    const box = document.createElement("p");
    box.className = "loi-chung";
    box.setAttribute("role", "alert");
    box.textContent = text;
    target.replaceChildren(box);
  }
});
