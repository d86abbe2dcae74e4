/* Get-listed form: checks the fields with the same schema as the build (exported into
   the page) and writes the Markdown file editors need. Nothing leaves the page unless
   the reader downloads, copies or e-mails it. */
(function () {
  "use strict";
  // Settings come from the theme's JSON block, found by an attribute content cannot
  // write (ids content can make are kept apart, but a data block is the theme's alone).
  var schema = JSON.parse(document.querySelector('script[type="application/json"][data-kyoso="apply-schema"]').textContent);
  var form = document.getElementById("apply-form");
  var errors = document.getElementById("apply-errors");
  function q(s) { return JSON.stringify(s); }
  function value(name) { var el = form.elements[name]; return el ? String(el.value || "").trim() : ""; }
  function checked(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (c) { return c.value; });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var problems = [], lines = ["---"];
    var slug = value("slug");
    if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) problems.push({ id: "f-slug", text: "ファイル名は半角英小文字・数字・ハイフンで書いてください。" });
    schema.fields.forEach(function (f) {
      var t = f.ty.type, v;
      if (t === "vocabs") {
        v = checked(f.name);
        if (f.required && !v.length) problems.push({ id: "field-" + f.name, text: f.label + "を1つ以上選んでください。" });
        if (v.length) lines.push(f.name + ": [" + v.map(q).join(", ") + "]");
        return;
      }
      if (t === "location") {
        var lat = value("lat"), lon = value("lon");
        if (lat || lon) {
          if (isNaN(+lat) || isNaN(+lon) || +lat < 20 || +lat > 46 || +lon < 122 || +lon > 154) problems.push({ id: "f-lat", text: "緯度・経度は日本国内の数値で書いてください（例: 35.9, 139.4）。" });
          else lines.push("location: {lat: " + (+lat) + ", lon: " + (+lon) + "}");
        }
        return;
      }
      v = value(f.name);
      if (f.required && !v) { problems.push({ id: "f-" + f.name, text: f.label + "を入力してください。" }); return; }
      if (!v) return;
      if (t === "url" && !/^https?:\/\/\S+$/i.test(v)) { problems.push({ id: "f-" + f.name, text: f.label + "は https:// で始まるアドレスにしてください。" }); return; }
      if (t === "vocab" && f.options.indexOf(v) < 0) { problems.push({ id: "f-" + f.name, text: f.label + "を一覧から選んでください。" }); return; }
      if (t === "texts") lines.push(f.name + ": [" + v.split(/[、,，;；\n]/).map(function (s) { return s.trim(); }).filter(Boolean).map(q).join(", ") + "]");
      else lines.push(f.name + ": " + q(v));
    });
    errors.innerHTML = "";
    if (problems.length) {
      var p = document.createElement("p"); p.textContent = problems.length + "件の入力を確認してください。"; errors.appendChild(p);
      var ul = document.createElement("ul");
      problems.forEach(function (pr) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "#" + pr.id; a.textContent = pr.text; li.appendChild(a); ul.appendChild(li);
        var el = document.getElementById(pr.id); if (el) el.setAttribute("aria-invalid", "true");
      });
      errors.appendChild(ul);
      errors.hidden = false;
      errors.focus();
      return;
    }
    errors.hidden = true;
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
    lines.push("---");
    var text = lines.join("\n") + "\n" + (value("body") ? value("body") + "\n" : "");
    var out = document.getElementById("apply-output");
    document.getElementById("apply-markdown").value = text;
    var dl = document.getElementById("apply-download");
    dl.href = "data:text/markdown;charset=utf-8," + encodeURIComponent(text);
    dl.setAttribute("download", slug + ".md");
    var mail = document.getElementById("apply-mail");
    if (mail) mail.href = "mailto:" + encodeURIComponent(schema.email) + "?subject=" + encodeURIComponent("掲載申し込み（" + value("title") + "）") + "&body=" + encodeURIComponent(text);
    out.hidden = false;
    document.getElementById("output-heading").scrollIntoView();
    document.getElementById("apply-markdown").focus();
  });
  document.getElementById("apply-copy").addEventListener("click", function () {
    var ta = document.getElementById("apply-markdown"), done = document.getElementById("apply-copied");
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    if (navigator.clipboard && !ok) navigator.clipboard.writeText(ta.value).then(function () { done.textContent = "コピーしました。"; }, function () { done.textContent = "コピーできませんでした。内容を選んでコピーしてください。"; });
    else done.textContent = ok ? "コピーしました。" : "コピーできませんでした。内容を選んでコピーしてください。";
  });
})();
