// The editor's small helpers. Everything works without them (plain forms); with them the
// preview follows the typing, the actor picker filters, the toolbar inserts Markdown and
// an apply-form file is read into the intake box.
(function () {
  "use strict";
  var body = document.getElementById("f-body");
  var preview = document.getElementById("preview");
  var form = body && body.form;
  if (body && preview && form) {
    var timer = null;
    var refresh = function () {
      var data = new URLSearchParams();
      data.set("token", form.elements.token.value);
      data.set("_path", form.elements._path.value || (form.getAttribute("data-folder") + "/" + (form.elements._name ? form.elements._name.value : "") + ".md"));
      data.set("body", body.value);
      fetch("/_edit/preview", { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        // The server renders through kyoso's sanitising Markdown path.
        .then(function (html) { preview.innerHTML = html; preview.setAttribute("data-rendered", String(Date.now())); })
        .catch(function () {});
    };
    body.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 250); });
    var wrap = { heading: ["## ", ""], bold: ["**", "**"], list: ["- ", ""], link: ["[", "](https://)"] };
    document.querySelectorAll("[data-md]").forEach(function (b) {
      b.addEventListener("click", function () {
        var w = wrap[b.getAttribute("data-md")];
        var s = body.selectionStart, e = body.selectionEnd, v = body.value;
        var line = w[1] === "" && s > 0 && v[s - 1] !== "\n" ? "\n" : "";
        body.value = v.slice(0, s) + line + w[0] + v.slice(s, e) + w[1] + v.slice(e);
        body.focus();
        body.selectionStart = body.selectionEnd = e + line.length + w[0].length + w[1].length;
        refresh();
      });
    });
    imageBox(body, form, refresh);
  }
  // The location picker of the apply form (the theme's js/map.js, loaded deferred after
  // this script), on the offline outline of Japan.
  var mapEl = document.getElementById("location-map");
  if (mapEl) {
    document.addEventListener("DOMContentLoaded", function () {
      if (!window.kyosoMap) return;
      window.kyosoMap.locationPicker(mapEl, document.getElementById("f-location-lat"), document.getElementById("f-location-lon"),
        document.getElementById("location-status"), document.getElementById("location-clear"));
    });
  }

  // 画像を入れる: a picture dropped (on the box or on the body) or chosen, and its
  // required description, are sent on their own; the server stores the picture beside
  // the page and answers the Markdown, which goes in at the body's cursor.
  function imageBox(body, form, refresh) {
    var box = document.getElementById("image-box");
    if (!box || !window.fetch) return;
    var input = document.getElementById("f-image"), alt = document.getElementById("f-alt");
    var status = document.getElementById("image-status"), insert = document.getElementById("image-insert");
    var MAX = 8 * 1024 * 1024, dropped = null;
    box.hidden = false;
    function problem(field, text) {
      var el = field === "alt" ? alt : input, out = document.getElementById(field === "alt" ? "e-alt" : "e-image");
      out.textContent = "";
      if (text) {
        var p = document.createElement("p");
        p.className = "error";
        p.textContent = "エラー: " + text;
        out.appendChild(p);
        el.setAttribute("aria-invalid", "true");
      } else {
        el.removeAttribute("aria-invalid");
      }
    }
    function chosen() { return dropped || (input.files && input.files[0]) || null; }
    function take(file) {
      dropped = file;
      problem("file", "");
      status.textContent = "「" + file.name + "」を選びました。画像の説明を入力して「画像を入れる」を押してください。";
      alt.focus();
    }
    input.addEventListener("change", function () { dropped = null; problem("file", ""); });
    [box, body].forEach(function (zone) {
      zone.addEventListener("dragover", function (e) {
        if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) { e.preventDefault(); box.classList.add("dragging"); }
      });
      zone.addEventListener("dragleave", function () { box.classList.remove("dragging"); });
      zone.addEventListener("drop", function (e) {
        var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
        box.classList.remove("dragging");
        if (!f) return;
        e.preventDefault();
        take(f);
      });
    });
    insert.addEventListener("click", function () {
      var file = chosen(), bad = false;
      problem("file", ""); problem("alt", "");
      if (!file) { problem("file", "画像ファイルを選ぶか、ここにドラッグしてください。"); bad = true; }
      else if (file.size > MAX) { problem("file", "画像が大きすぎます（8 MB まで）。小さくしてから入れてください。"); bad = true; }
      if (!alt.value.trim()) { problem("alt", "画像の説明を入力してください。画像が見えない人には、この説明が読み上げられます。"); bad = true; }
      if (bad) { (file && file.size <= MAX ? alt : input).focus(); return; }
      var q = new URLSearchParams();
      q.set("token", form.elements.token.value);
      q.set("_path", form.elements._path.value);
      q.set("_collection", form.elements._collection.value);
      q.set("_guide", form.elements._guide.value);
      q.set("name", file.name);
      q.set("alt", alt.value);
      status.textContent = "画像を保存しています…";
      fetch("/_edit/image?" + q.toString(), { method: "POST", body: file, credentials: "same-origin" })
        .then(function (r) {
          if (r.status === 413) return { field: "file", error: "画像が大きすぎます（8 MB まで）。小さくしてから入れてください。" };
          return r.json().catch(function () { return { field: "file", error: "画像を保存できませんでした（" + r.status + "）。編集画面を開き直してください。" }; });
        })
        .then(function (answer) {
          if (answer.error) {
            status.textContent = "";
            problem(answer.field, answer.error);
            (answer.field === "alt" ? alt : input).focus();
            return;
          }
          // Its own paragraph, at the cursor (or where the cursor was before this box).
          var s = body.selectionStart, e = body.selectionEnd, v = body.value;
          var before = s === 0 || v.slice(0, s).slice(-2) === "\n\n" ? "" : v[s - 1] === "\n" ? "\n" : "\n\n";
          var after = e === v.length || v[e] === "\n" ? "\n" : "\n\n";
          body.value = v.slice(0, s) + before + answer.markdown + after + v.slice(e);
          body.selectionStart = body.selectionEnd = s + before.length + answer.markdown.length;
          dropped = null; input.value = ""; alt.value = "";
          status.textContent = answer.message;
          refresh();
        })
        .catch(function () { status.textContent = ""; problem("file", "画像を送れませんでした。kyoso serve が動いているか確かめてください。"); });
    });
  }

  document.querySelectorAll("[data-filter]").forEach(function (input) {
    var list = document.getElementById("p-" + input.getAttribute("data-filter"));
    input.addEventListener("input", function () {
      var q = input.value.trim();
      list.querySelectorAll(".choice").forEach(function (c) { c.hidden = q !== "" && c.textContent.indexOf(q) < 0; });
    });
  });
  document.querySelectorAll("input[type=file][data-into]").forEach(function (input) {
    input.addEventListener("change", function () {
      var f = input.files && input.files[0];
      if (f) f.text().then(function (t) { document.getElementById(input.getAttribute("data-into")).value = t; });
    });
  });
})();
