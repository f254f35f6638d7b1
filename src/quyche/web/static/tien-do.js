// A batch run's progress: the run's Server-Sent Events (/bo-van-ban/su-kien/<run>, web/su_kien.py) each bring the
// progress fragment, swapped in where the previous one was; the event "xong" brings the last one and ends.
(function () {
  function follow(box) {
    if (box.dataset.theoDoi) return;
    box.dataset.theoDoi = "1";
    const source = new EventSource(box.dataset.suKien);
    let current = box;
    function swap(e) {
      const t = document.createElement("template");
      t.innerHTML = e.data;
      const next = t.content.firstElementChild;
      if (!next) return;
      next.dataset.theoDoi = "1";
      current.replaceWith(next);
      current = next;
      document.body.dataset.suKien = String(Number(document.body.dataset.suKien || 0) + 1);
    }
    source.addEventListener("tien-do", swap);
    source.addEventListener("xong", (e) => { source.close(); swap(e); });
  }
  const scan = () => document.querySelectorAll("[data-su-kien]").forEach(follow);
  document.addEventListener("htmx:afterSwap", scan);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
