/* Need → partners: the actors that serve a 分野 in a place (explicit service area first,
   then prefecture-wide, then nationwide; nearest first when a location is known) and the
   cases in that 分野 (same place first), each with a one-line reason. */
(function () {
  "use strict";
  window.kyosoPlaces = function (data) {
    var root = document.getElementById("partners-results").getAttribute("data-root") || "";
    var form = document.getElementById("partners-form");
    var dSel = document.getElementById("p-domain"), pSel = document.getElementById("p-prefecture"), mSel = document.getElementById("p-municipality");
    var status = document.getElementById("partners-status");
    var params = new URLSearchParams(window.location.search);

    function municipalities(pref) {
      var set = {};
      data.actors.forEach(function (a) { if (a.p === pref) a.m.forEach(function (m) { set[m] = true; }); });
      data.cases.forEach(function (c) { if (c.p === pref && c.m) set[c.m] = true; });
      return Object.keys(set).sort();
    }
    function fillMunis() {
      var keep = mSel.value || params.get("municipality") || "";
      mSel.innerHTML = "";
      var none = document.createElement("option"); none.value = ""; none.textContent = "指定しない"; mSel.appendChild(none);
      municipalities(pSel.value).forEach(function (m) { var o = document.createElement("option"); o.textContent = m; mSel.appendChild(o); });
      mSel.value = municipalities(pSel.value).indexOf(keep) >= 0 ? keep : "";
      mSel.disabled = !pSel.value;
    }
    function href(u) { return /^https?:\/\//.test(u) ? u : root + u; }
    function km(a, b) {
      var r = Math.PI / 180, dLat = (b[0] - a[0]) * r, dLon = (b[1] - a[1]) * r;
      var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(a[0] * r) * Math.cos(b[0] * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
      return 6371 * 2 * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
    }
    function item(title, url, meta, why) {
      var li = document.createElement("li");
      var a = document.createElement("a"); a.href = href(url); a.textContent = title;
      var h = document.createElement("h3"); h.className = "card-title"; h.appendChild(a);
      var m = document.createElement("p"); m.className = "card-meta"; m.textContent = meta;
      var w = document.createElement("p"); w.className = "why"; w.textContent = why;
      li.appendChild(h); li.appendChild(m); li.appendChild(w);
      return li;
    }

    function run() {
      var d = dSel.value, p = pSel.value, m = mSel.value;
      var aList = document.getElementById("actor-results"), cList = document.getElementById("case-results");
      aList.innerHTML = ""; cList.innerHTML = "";
      if (!d) { status.textContent = "分野を選んでください。"; return; }
      document.getElementById("partners-intro").hidden = true;
      // A reference point: the located actors of the chosen place.
      var pts = data.actors.filter(function (a) { return a.lat != null && (m ? a.m.indexOf(m) >= 0 : p && a.p === p); });
      var ref = pts.length ? [pts.reduce(function (s, a) { return s + a.lat; }, 0) / pts.length, pts.reduce(function (s, a) { return s + a.lon; }, 0) / pts.length] : null;
      var place = m || p;
      var actors = [];
      data.actors.forEach(function (a) {
        if (a.d.indexOf(d) < 0) return;
        var rank, why;
        if (m && a.m.indexOf(m) >= 0) { rank = 3; why = d + "に取り組み、" + m + "で活動しています"; }
        else if (p && a.p === p && !a.m.length) { rank = 2; why = d + "に取り組み、" + p + "全域で活動しています"; }
        else if (!m && p && a.p === p) { rank = 3; why = d + "に取り組み、" + p + "の" + a.m.join("、") + "で活動しています"; }
        else if (a.p === "全国") { rank = 1; why = d + "に取り組み、全国で活動しています"; }
        else if (!p) { rank = 1; why = d + "に取り組んでいます（" + a.p + (a.m.length ? "・" + a.m.join("、") : "") + "）"; }
        else return;
        var dist = ref && a.lat != null ? km(ref, [a.lat, a.lon]) : null;
        if (dist != null && rank < 3) why += "（" + place + "から約" + Math.round(dist) + "km）";
        actors.push({ a: a, rank: rank, dist: dist, why: why });
      });
      actors.sort(function (x, y) {
        return y.rank - x.rank || (x.dist == null) - (y.dist == null) || (x.dist || 0) - (y.dist || 0) || (x.a.t < y.a.t ? -1 : 1);
      });
      var cases = [];
      data.cases.forEach(function (c) {
        if (c.d.indexOf(d) < 0) return;
        var rank = m && c.m === m ? 3 : p && c.p === p ? 2 : 1;
        var why = rank === 3 ? m + "での" + d + "の事例です" : rank === 2 ? "同じ" + p + "の" + d + "の事例です" : (p ? "ほかの地域（" + c.p + "）の" : "") + d + "の参考事例です";
        cases.push({ c: c, rank: rank, why: why });
      });
      cases.sort(function (x, y) { return y.rank - x.rank || (x.c.t < y.c.t ? -1 : 1); });
      actors.forEach(function (x) { aList.appendChild(item(x.a.t, x.a.u, x.a.k + "・" + x.a.p + (x.a.b ? "・本業：" + x.a.b : ""), x.why)); });
      cases.forEach(function (x) { cList.appendChild(item(x.c.t, x.c.u, x.c.p + (x.c.m ? " " + x.c.m : ""), x.why)); });
      document.getElementById("partners-actors").hidden = false;
      document.getElementById("partners-cases").hidden = false;
      if (!actors.length) aList.appendChild(Object.assign(document.createElement("li"), { textContent: "条件に合う主体はまだ登録されていません。" }));
      if (!cases.length) cList.appendChild(Object.assign(document.createElement("li"), { textContent: "この分野の事例はまだありません。" }));
      status.textContent = (place ? place + "で" : "") + d + "に協力できる主体 " + actors.length + "件、事例 " + cases.length + "件";
      var q = new URLSearchParams();
      q.set("domain", d); if (p) q.set("prefecture", p); if (m) q.set("municipality", m);
      try { window.history.replaceState(null, "", "?" + q.toString()); } catch (e) { /* file:// */ }
    }

    dSel.value = params.get("domain") || "";
    pSel.value = params.get("prefecture") || "";
    fillMunis();
    pSel.addEventListener("change", function () { mSel.value = ""; fillMunis(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    if (dSel.value) run();
  };
})();
