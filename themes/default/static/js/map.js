/* kyoso map: Leaflet markers coloured by kind, filters shared with the list beside the
   map (the list is the accessible alternative and works without the map). Offline, or
   when tiles fail, the list and a note remain. Also draws the small map on actor pages. */
(function () {
  "use strict";
  var COLORS = ["#0031d8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d", "#4d7c0f", "#1e40af", "#9a3412", "#374151", "#6b21a8"];
  var KINDS = ["民間企業", "NPO法人", "社会福祉法人", "社会福祉協議会", "協同組合", "農村RMO", "地域運営組織", "住民主体の活動団体", "ボランティア団体", "一般社団法人", "行政機関", "全国規模の団体", "その他"];
  function color(kind) { var i = KINDS.indexOf(kind); return COLORS[i < 0 ? COLORS.length - 1 : i]; }
  // The settings are the theme's JSON block, found by an attribute that content cannot
  // write (sanitised content has no script element and no data-* attribute), so content
  // cannot hand the map other tiles or an attribution to insert as HTML.
  var cfgEl = document.querySelector('script[type="application/json"][data-kyoso="map-config"]');
  var cfg = cfgEl ? JSON.parse(cfgEl.textContent) : null;

  // The offline outline of the prefectures, beside this script in the site's files.
  var scripts = document.getElementsByTagName("script");
  var here = (document.currentScript || scripts[scripts.length - 1]).src;
  var outlineSrc = here.replace(/js\/map\.js([?#].*)?$/, "vendor/japan/prefectures.js");

  // When the tiles cannot be loaded (offline, file:// without a connection, a blocked
  // tile server), the map draws a bundled outline of the 47 prefectures instead, so the
  // markers still have a place. Loaded only then: a script, which file:// pages may load.
  function outline(map) {
    function draw() {
      if (!window.kyosoJapan || map._kyosoOutline) return;
      map.getContainer().classList.add("map-offline");
      map._kyosoOutline = window.L.geoJSON(window.kyosoJapan, {
        style: { color: "#5f6b7a", weight: 1, fillColor: "#f4f1e8", fillOpacity: 1, className: "map-prefecture" },
        interactive: false
      }).addTo(map);
      map._kyosoOutline.bringToBack();
      // Each prefecture's name at the middle of its largest part, once zoomed in enough
      // for the names not to overlap.
      var names = window.L.layerGroup(window.kyosoJapan.features.map(function (f) {
        var ring = f.geometry.coordinates.reduce(function (a, p) { return p[0].length > a.length ? p[0] : a; }, []);
        var sum = ring.reduce(function (s, c) { return [s[0] + c[1], s[1] + c[0]]; }, [0, 0]);
        var label = document.createElement("span");
        label.textContent = f.properties.name;
        return window.L.marker([sum[0] / ring.length, sum[1] / ring.length], {
          icon: window.L.divIcon({ className: "map-prefecture-name", html: label, iconSize: null }), interactive: false, keyboard: false
        });
      }));
      function showNames() { if (map.getZoom() >= 7) names.addTo(map); else names.remove(); }
      map.on("zoomend", showNames);
      showNames();
    }
    if (window.kyosoJapan) { draw(); return; }
    var s = document.createElement("script");
    s.src = outlineSrc;
    s.onload = draw;
    document.head.appendChild(s);
  }

  // Without settings (the local editor, whose pages load nothing from the network) the
  // map is the bundled outline alone.
  function baseMap(el, status, options) {
    if (!window.L) return null;
    try {
      el.hidden = false;
      var map = window.L.map(el, options || {});
      if (!cfg || !cfg.tiles) { outline(map); return map; }
      var tiles = window.L.tileLayer(cfg.tiles, { attribution: cfg.attribution, maxZoom: 18 });
      var failed = false;
      tiles.on("tileerror", function () {
        if (failed) return;
        failed = true;
        outline(map);
        if (status) status.textContent = "地図の画像を読み込めません（インターネットにつながっていない可能性があります）。都道府県の境界だけを表示しています。位置は一覧と住所でもご確認ください。";
      });
      tiles.addTo(map);
      if (navigator.onLine === false) outline(map);
      return map;
    } catch (e) {
      el.hidden = true;
      return null;
    }
  }

  // The numbers of a place in two fields: null when both are empty, false when they do
  // not point inside Japan, else [lat, lon].
  function chosen(lat, lon) {
    var a = String(lat.value || "").trim(), b = String(lon.value || "").trim();
    if (!a && !b) return null;
    if (isNaN(+a) || isNaN(+b) || +a < 20 || +a > 46 || +b < 122 || +b > 154) return false;
    return [+a, +b];
  }

  // A place picker on the base map, for the get-listed form and the local editor
  // (kyoso serve's /_edit/): a click (tap) on the map writes the two number fields;
  // typing in them (the keyboard's way, and exact places) moves the marker; `clear`
  // leaves them empty. `status` says in words what is chosen.
  function locationPicker(el, lat, lon, status, clear) {
    var map = baseMap(el, null, { scrollWheelZoom: false });
    var marker = null;
    function show() {
      var ll = chosen(lat, lon);
      if (marker) { marker.remove(); marker = null; }
      clear.hidden = !ll;
      if (ll === null) status.textContent = "位置は選ばれていません（地図には載りません）。";
      else if (ll === false) status.textContent = "位置の数字が日本の中を指していません。";
      else {
        status.textContent = "選んだ位置：北緯 " + ll[0] + "、東経 " + ll[1] + "（地図をもう一度クリックすると選び直せます）";
        if (map) marker = window.L.circleMarker(ll, { radius: 9, color: "#1a1a1a", weight: 2, fillColor: "#0031d8", fillOpacity: 0.9 }).addTo(map);
      }
    }
    if (map) {
      var start = chosen(lat, lon);
      if (start) map.setView(start, 9); else map.setView([36.5, 137.5], 5);
      map.on("click", function (e) {
        lat.value = e.latlng.lat.toFixed(5);
        lon.value = e.latlng.lng.toFixed(5);
        show();
      });
    }
    lat.addEventListener("change", show);
    lon.addEventListener("change", show);
    // The button hides once pressed: focus goes to what it changed.
    status.setAttribute("tabindex", "-1");
    clear.addEventListener("click", function () { lat.value = ""; lon.value = ""; show(); status.focus(); });
    show();
  }

  window.kyosoMap = { baseMap: baseMap, chosen: chosen, locationPicker: locationPicker };

  // Actor page: one marker.
  var small = document.getElementById("actor-map");
  if (small) {
    var m = baseMap(small, document.getElementById("actor-map-status"), { scrollWheelZoom: false });
    if (m) {
      var ll = [+small.getAttribute("data-lat"), +small.getAttribute("data-lon")];
      m.setView(ll, 14);
      window.L.circleMarker(ll, { radius: 9, color: "#1a1a1a", weight: 1, fillColor: color(small.getAttribute("data-kind")), fillOpacity: 0.9 }).addTo(m);
    }
  }

  var list = document.getElementById("map-list");
  if (!list) return;
  var items = Array.prototype.slice.call(list.children);
  var status = document.getElementById("map-status");
  var count = document.getElementById("map-count");
  var form = document.getElementById("map-filters");
  var domainSel = document.getElementById("f-domain"), kindSel = document.getElementById("f-kind");
  var params = new URLSearchParams(window.location.search);
  domainSel.value = params.get("domain") || "";
  kindSel.value = params.get("kind") || "";
  items.forEach(function (li) {
    var dot = li.querySelector(".kind-dot");
    if (dot) dot.style.backgroundColor = color(li.getAttribute("data-kind"));
  });

  var map = baseMap(document.getElementById("map"), status, { scrollWheelZoom: false });
  if (map) {
    map.setView([36.5, 137.5], 5);
    items.forEach(function (li) {
      if (!li.hasAttribute("data-lat")) return;
      var link = li.querySelector("a");
      var popup = document.createElement("div");
      var a = document.createElement("a");
      a.href = link.href; a.textContent = link.textContent;
      popup.appendChild(a);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(li.getAttribute("data-kind")));
      li._marker = window.L.circleMarker([+li.getAttribute("data-lat"), +li.getAttribute("data-lon")],
        { radius: 8, color: "#1a1a1a", weight: 1, fillColor: color(li.getAttribute("data-kind")), fillOpacity: 0.9 }).bindPopup(popup);
      var button = li.querySelector(".show-on-map");
      button.hidden = false;
      button.addEventListener("click", function () {
        map.setView(li._marker.getLatLng(), Math.max(map.getZoom(), 12));
        li._marker.openPopup();
        document.getElementById("map").scrollIntoView({ block: "nearest" });
      });
    });
  } else {
    status.textContent = "地図を表示できません。一覧からお探しください。";
  }

  function apply() {
    var d = domainSel.value, k = kindSel.value, shown = 0, bounds = [];
    items.forEach(function (li) {
      var ok = (!d || li.getAttribute("data-domains").split("|").indexOf(d) >= 0) && (!k || li.getAttribute("data-kind") === k);
      li.hidden = !ok;
      if (ok) shown++;
      if (li._marker) {
        if (ok) { li._marker.addTo(map); bounds.push(li._marker.getLatLng()); } else { li._marker.remove(); }
      }
    });
    count.textContent = shown;
    if (map && bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 });
    if (map && !status.textContent) status.textContent = shown + "件の主体を表示しています。";
    var p = new URLSearchParams();
    if (d) p.set("domain", d);
    if (k) p.set("kind", k);
    try { window.history.replaceState(null, "", p.toString() ? "?" + p.toString() : "index.html"); } catch (e) { /* file:// */ }
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); status.textContent = ""; apply(); });
  domainSel.addEventListener("change", function () { status.textContent = ""; apply(); });
  kindSel.addEventListener("change", function () { status.textContent = ""; apply(); });
  apply();
})();
