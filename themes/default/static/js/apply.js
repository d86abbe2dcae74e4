/* Get-listed form: checks the fields with the same schema as the build (exported into
   the page) and writes the Markdown file editors need. Nothing leaves the page unless
   the reader downloads, copies or e-mails it. The file name is made from the name the
   way `kyoso import` names a row (kyosoApply.fileName; tests/apply.rs checks both agree),
   so applicants are not asked for one. */
(function (global) {
  "use strict";

  function isSlug(s) { return /^[a-z0-9][a-z0-9-]*$/.test(s); }

  // validate::romanise: ASCII letters and digits kept, kana romanised with the build's
  // table, spaces and dots as one hyphen; null when anything else (kanji) is left or
  // fewer than three letters come out.
  function romanise(name, romaji) {
    var out = "";
    for (var i = 0, chars = Array.from(name); i < chars.length; i++) {
      var c = chars[i];
      if (/^[A-Za-z0-9]$/.test(c)) out += c.toLowerCase();
      else if (Object.prototype.hasOwnProperty.call(romaji, c)) out += romaji[c];
      else if (" _-\u3000\u30fb.".indexOf(c) >= 0) { if (out.slice(-1) !== "-") out += "-"; }
      else return null;
    }
    out = out.replace(/^-+|-+$/g, "");
    return (out.match(/[a-z]/g) || []).length >= 3 ? out : null;
  }

  // import::id_slug: the id when it is a name, else the low 32 bits of its FNV-1a hash.
  function idSlug(id) {
    var lower = id.toLowerCase();
    if (isSlug(lower)) return lower;
    var h = 0x84222325, bytes = new TextEncoder().encode(id);
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x1b3) >>> 0;
    return ("0000000" + h.toString(16)).slice(-8);
  }

  // import::applicant_file_stem: a row of a list named `source`, its name as its id.
  function fileName(name, rule) {
    var lower = name.toLowerCase();
    if (isSlug(lower) && /[a-z]/.test(lower)) return lower;
    return romanise(name, rule.romaji) || rule.source + "-" + idSlug(name);
  }
  global.kyosoApply = { fileName: fileName };
  if (typeof document === "undefined") return;

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
  // The field's name as the applicant reads it on the page.
  function label(f) {
    var el = document.querySelector('[for="f-' + f.name + '"] .label-text, #field-' + f.name + " .label-text");
    return el ? el.textContent : f.label;
  }
  var values = function (f) { return f.options.map(function (o) { return o.value; }); };

  // The location picker is the map's (js/map.js), shared with the local editor.
  function chosenLocation() { return global.kyosoMap.chosen(form.elements.lat, form.elements.lon); }
  var mapEl = document.getElementById("apply-map");
  if (mapEl) global.kyosoMap.locationPicker(mapEl, form.elements.lat, form.elements.lon, document.getElementById("location-status"), document.getElementById("location-clear"));

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var problems = [], lines = ["---"];
    schema.fields.forEach(function (f) {
      var t = f.ty.type, v;
      if (t === "vocabs") {
        v = checked(f.name);
        if (f.required && !v.length) problems.push({ id: "field-" + f.name, text: label(f) + "を1つ以上選んでください。" });
        if (v.length) lines.push(f.name + ": [" + v.map(q).join(", ") + "]");
        return;
      }
      if (t === "location") {
        var ll = chosenLocation();
        if (ll === false) problems.push({ id: "f-lat", text: "位置の数字が日本の中を指していません。地図をクリックして選び直すか、空けておいてください。" });
        else if (ll) lines.push("location: {lat: " + ll[0] + ", lon: " + ll[1] + "}");
        return;
      }
      v = value(f.name);
      if (f.required && !v) { problems.push({ id: "f-" + f.name, text: label(f) + "を入力してください。" }); return; }
      if (!v) return;
      if (t === "url" && !/^https?:\/\/\S+$/i.test(v)) { problems.push({ id: "f-" + f.name, text: label(f) + "は https:// で始まるアドレスにしてください。" }); return; }
      if (t === "vocab" && values(f).indexOf(v) < 0) { problems.push({ id: "f-" + f.name, text: label(f) + "を一覧から選んでください。" }); return; }
      if (t === "texts") lines.push(f.name + ": [" + v.split(/[、,，;；\n]/).map(function (s) { return s.trim(); }).filter(Boolean).map(q).join(", ") + "]");
      else lines.push(f.name + ": " + q(v));
    });
    errors.innerHTML = "";
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
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
    lines.push("---");
    var text = lines.join("\n") + "\n" + (value("body") ? value("body") + "\n" : "");
    var file = fileName(value("title"), schema.file_name) + ".md";
    document.getElementById("apply-markdown").value = text;
    document.getElementById("apply-file-name").textContent = file;
    var dl = document.getElementById("apply-download");
    dl.href = "data:text/markdown;charset=utf-8," + encodeURIComponent(text);
    dl.setAttribute("download", file);
    var mail = document.getElementById("apply-mail");
    if (mail) mail.href = "mailto:" + encodeURIComponent(schema.email) + "?subject=" + encodeURIComponent("掲載申し込み（" + value("title") + "）") + "&body=" + encodeURIComponent(text);
    document.getElementById("apply-output").hidden = false;
    document.getElementById("output-heading").scrollIntoView();
    document.getElementById("output-heading").setAttribute("tabindex", "-1");
    document.getElementById("output-heading").focus();
  });
  document.getElementById("apply-copy").addEventListener("click", function () {
    var ta = document.getElementById("apply-markdown"), done = document.getElementById("apply-copied");
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    if (navigator.clipboard && !ok) navigator.clipboard.writeText(ta.value).then(function () { done.textContent = "コピーしました。"; }, function () { done.textContent = "コピーできませんでした。内容を選んでコピーしてください。"; });
    else done.textContent = ok ? "コピーしました。" : "コピーできませんでした。内容を選んでコピーしてください。";
  });
})(this);
