/* ←/→ で前後の章へ（入力欄にいるときは何もしない）。A file, not an inline script: every page's
   Content-Security-Policy allows scripts from the site only. The links are looked up in
   the theme's own navigation (data-kyoso, an attribute content cannot write). */
document.addEventListener("keydown", function (e) {
  "use strict";
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  var t = e.target && e.target.tagName;
  if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT" || (e.target && e.target.isContentEditable)) return;
  var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : null;
  var link = rel && document.querySelector('nav[data-kyoso="chapter-nav"] a[rel="' + rel + '"]');
  if (link) { window.location.href = link.href; }
});
