/* The municipal self-check: works out the step as questions are answered (the rule of
   src/checklist/mod.rs, explained on the page), shows what to read next, keeps the answers
   in this browser only (localStorage) and writes the answers file the prefecture imports
   with `kyoso import checklist`. Also sorts overview tables and draws their maps
   (region pages load it too).
   Nothing is sent anywhere. */
(function () {
  "use strict";

  // Tables: a button per column heading sorts the rows (by data-sort, else the text).
  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), function (table) {
    var heads = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) { var c = row.cells[col]; return c ? (c.getAttribute("data-sort") || c.textContent.trim()) : ""; };
        rows.sort(function (a, b) { var r = key(a).localeCompare(key(b), "ja", { numeric: true }); return asc ? r : -r; });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // Overview maps: a marker per municipality of the table that has a position, its
  // shape and number telling the step (the colour is not the only sign, WCAG 1.4.1), and
  // its popup the table's own link and step. The table and the list beside the map say
  // the same in words. Offline (file://) js/map.js draws the bundled prefecture outline.
  Array.prototype.forEach.call(document.querySelectorAll("[data-checklist-map]"), function (el) {
    var block = el.closest(".checklist-map-block");
    var section = el.closest("section");
    if (!window.kyosoMap || !window.L) return;
    block.hidden = false;
    var map = window.kyosoMap.baseMap(el, document.getElementById(el.getAttribute("data-checklist-map")), { scrollWheelZoom: false });
    if (!map) { block.hidden = true; return; }
    var bounds = [];
    Array.prototype.forEach.call(section.querySelectorAll("tr[data-lat]"), function (tr) {
      var at = [+tr.getAttribute("data-lat"), +tr.getAttribute("data-lon")];
      var step = tr.getAttribute("data-step");
      var link = tr.querySelector("a");
      var stepText = tr.querySelector("td[data-sort]").textContent.trim();
      var mark = document.createElement("span");
      mark.className = "step-marker step-" + step;
      var number = document.createElement("span");
      number.textContent = step;
      mark.appendChild(number);
      var popup = document.createElement("div");
      var a = document.createElement("a");
      a.href = link.href; a.textContent = link.textContent;
      popup.appendChild(a);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(stepText));
      window.L.marker(at, {
        icon: window.L.divIcon({ className: "step-marker-icon", html: mark, iconSize: [28, 28], iconAnchor: [14, 14] }),
        title: link.textContent + "：" + stepText, alt: link.textContent + "：" + stepText, riseOnHover: true
      }).bindPopup(popup).addTo(map);
      bounds.push(at);
    });
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
  });

  var data = document.querySelector('script[type="application/json"][data-kyoso="checklist"]');
  var form = document.getElementById("checklist-form");
  if (!data || !form) return;
  var cfg = JSON.parse(data.textContent);
  var storageKey = "kyoso-checklist:" + cfg.format + ":" + location.pathname;
  var body = document.getElementById("checklist-result-body");
  var actions = document.getElementById("checklist-actions");
  var download = document.getElementById("checklist-download");
  var template = document.getElementById("checklist-result-template");

  function field(name) { return String(form.elements[name] ? form.elements[name].value : "").trim(); }
  function chosen(id) {
    var c = form.querySelector('input[name="' + id + '"]:checked');
    return c ? Number(c.value) : 0;
  }

  // The step: the lowest step with a question below its "done" option; all done: 3.
  function stepOf() {
    for (var step = 1; step <= 3; step++) {
      var open = cfg.questions.filter(function (q) { return q.step === step && chosen(q.id) < q.ready_from; });
      if (open.length && step < 3) return { step: step, open: open };
      if (step === 3) return { step: 3, open: open };
    }
  }

  function save() {
    var saved = { prefecture: field("prefecture"), municipality: field("municipality"), date: field("date"), memo: field("memo"), answers: {} };
    cfg.questions.forEach(function (q) { saved.answers[q.id] = chosen(q.id); });
    try { localStorage.setItem(storageKey, JSON.stringify(saved)); } catch (e) { /* private mode: nothing kept */ }
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved) return;
    ["prefecture", "municipality", "date", "memo"].forEach(function (n) { if (saved[n]) form.elements[n].value = saved[n]; });
    cfg.questions.forEach(function (q) {
      var n = saved.answers && saved.answers[q.id];
      var input = n && form.querySelector('input[name="' + q.id + '"][value="' + Number(n) + '"]');
      if (input) input.checked = true;
    });
  }

  // One CSV cell: guarded like kyoso's own exports (a leading ' before what a spreadsheet
  // would read as a formula), then quoted.
  function cell(v) {
    v = String(v == null ? "" : v);
    if (v && cfg.formula_starts.indexOf(v.charAt(0)) >= 0) v = "'" + v;
    return '"' + v.replace(/"/g, '""') + '"';
  }

  function csv(result) {
    var row = [cfg.format, field("prefecture"), field("municipality"), field("date")];
    cfg.questions.forEach(function (q) { var n = chosen(q.id); row.push(n ? q.options[n - 1] : ""); });
    row.push(String(result.step), field("memo"));
    return "\ufeff" + cfg.columns.map(cell).join(",") + "\r\n" + row.map(cell).join(",") + "\r\n";
  }

  function legend(id) {
    var l = document.querySelector("#q-" + id + " legend");
    return l ? l.textContent.trim() : id;
  }

  function update() {
    var answered = cfg.questions.filter(function (q) { return chosen(q.id) > 0; }).length;
    if (!answered) return;
    var result = stepOf();
    var step = cfg.steps.filter(function (s) { return s.step === result.step; })[0] || { title: "" };
    var out = template.content.cloneNode(true);
    var slot = function (name) { return out.querySelector('[data-slot="' + name + '"]'); };
    slot("mark").textContent = "ステップ" + result.step;
    slot("mark").classList.add("step-" + result.step);
    slot("title").textContent = step.title;
    slot(result.step < 3 ? "why-done" : "why-open").remove();
    if (result.step < 3 || !result.open.length) slot("next").remove();
    result.open.forEach(function (q) { var li = document.createElement("li"); li.textContent = legend(q.id); slot("open").appendChild(li); });
    if (!result.open.length) slot("open").remove();
    var missing = cfg.questions.length - answered;
    if (missing) slot("count").textContent = String(missing); else slot("unanswered").remove();
    var links = document.querySelector("#step-" + result.step + " .checklist-read");
    if (links) slot("links").appendChild(links.cloneNode(true));
    slot("more").href = "#step-" + result.step;
    body.textContent = "";
    body.appendChild(out);
    body.setAttribute("data-step", String(result.step));
    actions.hidden = false;
    var name = ["checklist", field("prefecture"), field("municipality"), field("date")].filter(Boolean).join("-").replace(/[\\/:*?"<>|\s]/g, "_");
    download.setAttribute("download", name + ".csv");
    download.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csv(result));
  }

  download.addEventListener("click", function (e) {
    var empty = ["prefecture", "municipality"].filter(function (n) { return !field(n); });
    if (empty.length) {
      e.preventDefault();
      var first = form.elements[empty[0]];
      first.setAttribute("aria-invalid", "true");
      first.focus();
      var note = document.getElementById("checklist-missing") || document.createElement("p");
      note.id = "checklist-missing";
      note.setAttribute("role", "alert");
      note.textContent = "都道府県と市区町村を入れてから、ダウンロードしてください。";
      actions.parentNode.insertBefore(note, actions.nextSibling);
    }
  });
  document.getElementById("checklist-clear").addEventListener("click", function () {
    if (!window.confirm("この端末に保存した回答を消しますか？")) return;
    try { localStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
    form.reset();
    location.reload();
  });
  form.addEventListener("change", function (e) {
    if (e.target.removeAttribute) e.target.removeAttribute("aria-invalid");
    var note = document.getElementById("checklist-missing");
    if (note) note.remove();
    save();
    update();
  });
  form.addEventListener("input", function () { save(); update(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  restore();
  if (!field("date")) {
    var d = new Date();
    form.elements.date.value = d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  update();
})();
