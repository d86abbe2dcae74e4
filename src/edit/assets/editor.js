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
      data.set("_path", form.elements._path.value || ("content/" + form.elements._collection.value + "/" + (form.elements._name ? form.elements._name.value : "") + ".md"));
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
