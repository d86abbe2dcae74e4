#!/usr/bin/env python3
"""Makes the offline base map of Japan's 47 prefectures (themes/default/static/vendor/japan/prefectures.js)
from Natural Earth's 1:10m Admin 1 – States, Provinces layer (public domain).

Not run by the build: run it by hand when the outline should change, and commit its output.

Input: a GeoPackage with that layer, either
  - QGIS's world_map.gpkg (table states_provinces: Natural Earth 10m admin-1 v4.1.0, already
    generalised by QGIS), shipped in Debian's qgis-common package:
        apt-get download qgis-common
        dpkg-deb --fsys-tarfile qgis-common_*.deb | tar x ./usr/share/qgis/resources/data/world_map.gpkg
        python3 tools/japan_outline.py usr/share/qgis/resources/data/world_map.gpkg
  - or Natural Earth's own natural_earth_vector.gpkg (--table ne_10m_admin_1_states_provinces).

Output: a script that sets window.kyosoJapan to a GeoJSON FeatureCollection, one feature per
prefecture with its Japanese name and JIS X 0401 code, coordinates rounded and simplified
(Douglas–Peucker) so the file stays small. A script rather than a .json file because pages
opened from file:// cannot fetch local files, but can load scripts.

Standard library only (sqlite3 reads the GeoPackage; its geometries are parsed here).
"""
import argparse
import json
import sqlite3
import struct
import sys
import unicodedata
from pathlib import Path

# Natural Earth's `name` → (JIS X 0401 code, Japanese name), in JIS order.
PREFECTURES = [
    ("Hokkaido", "北海道"), ("Aomori", "青森県"), ("Iwate", "岩手県"), ("Miyagi", "宮城県"), ("Akita", "秋田県"),
    ("Yamagata", "山形県"), ("Fukushima", "福島県"), ("Ibaraki", "茨城県"), ("Tochigi", "栃木県"), ("Gunma", "群馬県"),
    ("Saitama", "埼玉県"), ("Chiba", "千葉県"), ("Tokyo", "東京都"), ("Kanagawa", "神奈川県"), ("Niigata", "新潟県"),
    ("Toyama", "富山県"), ("Ishikawa", "石川県"), ("Fukui", "福井県"), ("Yamanashi", "山梨県"), ("Nagano", "長野県"),
    ("Gifu", "岐阜県"), ("Shizuoka", "静岡県"), ("Aichi", "愛知県"), ("Mie", "三重県"), ("Shiga", "滋賀県"),
    ("Kyoto", "京都府"), ("Osaka", "大阪府"), ("Hyogo", "兵庫県"), ("Nara", "奈良県"), ("Wakayama", "和歌山県"),
    ("Tottori", "鳥取県"), ("Shimane", "島根県"), ("Okayama", "岡山県"), ("Hiroshima", "広島県"), ("Yamaguchi", "山口県"),
    ("Tokushima", "徳島県"), ("Kagawa", "香川県"), ("Ehime", "愛媛県"), ("Kochi", "高知県"), ("Fukuoka", "福岡県"),
    ("Saga", "佐賀県"), ("Nagasaki", "長崎県"), ("Kumamoto", "熊本県"), ("Oita", "大分県"), ("Miyazaki", "宮崎県"),
    ("Kagoshima", "鹿児島県"), ("Okinawa", "沖縄県"),
]


def wkb_polygons(blob):
    """The polygons (lists of rings of (lon, lat)) of a GeoPackage geometry blob."""
    assert blob[:2] == b"GP", "not a GeoPackage geometry"
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    data, pos = blob, 8 + envelope

    def geometry(pos):
        order = "<" if data[pos] == 1 else ">"
        (kind,) = struct.unpack_from(order + "I", data, pos + 1)
        pos += 5
        dims = 3 if kind // 1000 in (1, 2) else 4 if kind // 1000 == 3 else 2
        kind %= 1000
        if kind == 3:
            (n,) = struct.unpack_from(order + "I", data, pos)
            pos += 4
            rings = []
            for _ in range(n):
                (m,) = struct.unpack_from(order + "I", data, pos)
                pos += 4
                ring = [struct.unpack_from(order + "d" * dims, data, pos + i * 8 * dims)[:2] for i in range(m)]
                pos += m * 8 * dims
                rings.append(ring)
            return [rings], pos
        if kind == 6:
            (n,) = struct.unpack_from(order + "I", data, pos)
            pos += 4
            out = []
            for _ in range(n):
                polys, pos = geometry(pos)
                out.extend(polys)
            return out, pos
        raise ValueError(f"geometry type {kind} is not a polygon")

    return geometry(pos)[0]


def simplify(ring, tolerance):
    """Douglas–Peucker on a closed ring (first point kept, as is the last)."""
    if len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = ring[a], ring[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, None
        for i in range(a + 1, b):
            x, y = ring[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(ring, keep) if k]


def area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))) / 2


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gpkg")
    ap.add_argument("--table", default="states_provinces")
    ap.add_argument("--tolerance", type=float, default=0.005, help="simplification, in degrees (0.01° ≈ 1 km)")
    ap.add_argument("--min-area", type=float, default=0.0004, help="islands smaller than this (square degrees) are left out")
    ap.add_argument("--digits", type=int, default=3)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "themes/default/static/vendor/japan/prefectures.js"))
    args = ap.parse_args()
    db = sqlite3.connect(args.gpkg)
    # Natural Earth writes long vowels with macrons (Hokkaidō, Kōchi).
    plain = lambda s: "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    rows = {plain(name): geom for name, geom in db.execute(f"SELECT name, geom FROM {args.table} WHERE adm0_a3 = 'JPN'")}
    missing = [en for en, _ in PREFECTURES if en not in rows]
    if missing or len(rows) != 47:
        sys.exit(f"expected the 47 prefectures; missing {missing}, found {sorted(rows)}")
    features = []
    for code, (en, ja) in enumerate(PREFECTURES, 1):
        polygons = []
        for rings in wkb_polygons(rows[en]):
            outer = rings[0]
            if area(outer) < args.min_area and polygons:
                continue
            rounded = []
            for ring in rings:
                r = [(round(x, args.digits), round(y, args.digits)) for x, y in simplify(ring, args.tolerance)]
                r = [p for i, p in enumerate(r) if i == 0 or p != r[i - 1]]
                if len(r) >= 4:
                    rounded.append([list(p) for p in r])
            if rounded and (len(rounded[0]) >= 4):
                polygons.append(rounded)
        features.append({"type": "Feature", "properties": {"code": code, "name": ja},
                         "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "/* Japan's 47 prefectures, simplified, for the offline base map (js/map.js). From Natural Earth\n"
        "   1:10m Admin 1 – States, Provinces v4.1.0 (public domain), as generalised in QGIS's world_map.gpkg;\n"
        "   made by tools/japan_outline.py (see SOURCE.md beside this file). */\n"
        "window.kyosoJapan = " + text + ";\n", encoding="utf-8")
    print(f"{out}: {out.stat().st_size} bytes, {sum(len(r) for f in features for p in f['geometry']['coordinates'] for r in p)} points")


if __name__ == "__main__":
    main()
