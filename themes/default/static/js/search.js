/*! kyoso search runtime — no dependencies, no modules, no fetch: index files are scripts
 * loaded with <script> elements, so search works on any web server and from file://.
 * The analyzer below mirrors src/search/analyzer.rs line for line; the scoring mirrors
 * tantivy's BM25 (k1 = 1.2, b = 0.75, per-field boosts) with the statistics exported in
 * manifest.js. Format: docs/search-index.md. */
(function (global) {
  "use strict";

  var FORMAT_VERSION = 5;
  var TYPO_MIN_LEN = 5;
  var MAX_COMPOUNDS = 64;
  var K1 = 1.2, B = 0.75, MAX_WORD = 40;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = {};
  for (var a = 0; a < 64; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;

  /* ---------- loading: kyosoSearch.data(name, payload) is what every index file calls ---------- */
  var store = {}, waiting = {};
  var api = global.kyosoSearch = global.kyosoSearch || {};
  api.data = function (name, payload) {
    store[name] = payload;
    (waiting[name] || []).forEach(function (w) { w.resolve(payload); });
    delete waiting[name];
  };

  function scriptLoader(base) {
    return function (name) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = base + name + ".js";
        s.async = true;
        s.onerror = function () { reject(new Error("索引ファイル " + name + ".js を読み込めません")); };
        document.head.appendChild(s);
      });
    };
  }

  function load(loader, name) {
    if (store[name]) return Promise.resolve(store[name]);
    if (!waiting[name]) {
      var entry = waiting[name] = [];
      var p = new Promise(function (resolve, reject) { entry.push({ resolve: resolve, reject: reject }); });
      entry.promise = p;
      Promise.resolve(loader(name)).catch(function (e) {
        (waiting[name] || []).forEach(function (w) { w.reject(e); });
        delete waiting[name];
      });
      return p;
    }
    return waiting[name].promise;
  }

  /* ---------- analysis (mirror of analyzer.rs) ---------- */
  function kataToHira(ch) {
    var c = ch.charCodeAt(0);
    return (c >= 0x30A1 && c <= 0x30F6) ? String.fromCharCode(c - 0x60) : ch;
  }

  /* NFKC, lower case, katakana → hiragana, no spelling folded (analyzer.rs `normalize`). */
  function normalize(text) {
    return Array.from(String(text).normalize("NFKC").toLowerCase()).map(kataToHira).join("");
  }

  var VU_WITH = { "ぁ": "ば", "ぃ": "び", "ぇ": "べ", "ぉ": "ぼ" };
  var E_ROW = "えけせねへめれげぜべぺ";
  var SMALL = "ぁぃぅぇぉ";

  /* Harman's S-stemmer on a word of ASCII lower-case letters (analyzer.rs `stem`). */
  function stem(w) {
    if (w.length < 4) return w;
    var end = function (x) { return w.slice(-x.length) === x; };
    if (end("ies") && !end("eies") && !end("aies")) return w.slice(0, -3) + "y";
    if (end("es") && !end("aes") && !end("ees") && !end("oes")) return w.slice(0, -1);
    if (end("s") && !end("us") && !end("ss") && !end("is")) return w.slice(0, -1);
    return w;
  }

  /* Katakana → hiragana with loanword spellings folded and English plurals cut
     (analyzer.rs `fold_kana_and_words`): an array of characters. With `src` (the source
     character range [from, to] of each character of `text`), `span` gets the source range
     of each character written: a dropped ー or イ, a small vowel taken into ヴ, or a cut
     plural ending widens the range of the character before it (for highlighting). */
  function foldKanaAndWords(text, src, span) {
    var out = [], prev = null, word = null, chars = Array.from(text);
    span = span || [];
    function widen(i) { if (src && out.length) span[out.length - 1] = [span[out.length - 1][0], src[i][1]]; }
    function put(c, i) { if (src) span[out.length] = [src[i][0], src[i][1]]; out.push(c); }
    function endWord() {
      if (word && word.all) {
        var w = out.slice(word.start).join(""), st = stem(w);
        if (st !== w) {
          // The stem is the word's start, its last letter perhaps changed (-ies → -y).
          var end = src ? span[out.length - 1][1] : 0;
          out.length = word.start;
          Array.from(st).forEach(function (c) { out.push(c); });
          if (src) { span.length = out.length; span[out.length - 1] = [span[out.length - 1][0], end]; }
        }
      }
      word = null;
    }
    chars.forEach(function (c, i) {
      if (isWord(c)) {
        var letter = /^[a-z]$/.test(c);
        word = word ? { start: word.start, all: word.all && letter } : { start: out.length, all: letter };
        prev = null; put(c, i);
        return;
      }
      endWord();
      var cp = c.codePointAt(0);
      var kana = (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30F6);
      var afterKana = prev !== null;
      if (c === "ー" && afterKana) { widen(i); return; }
      if (!kana) { prev = null; put(c, i); return; }
      var katakana = cp >= 0x30A1, h = kataToHira(c);
      if (prev && prev.vu && VU_WITH[h]) {
        out[prev.at] = VU_WITH[h];
        widen(i);
        prev = { at: prev.at, ch: VU_WITH[h], katakana: katakana, vu: false };
        return;
      }
      if (c === "イ" && prev && prev.katakana && E_ROW.indexOf(prev.ch) >= 0) { widen(i); return; }
      var vu = false;
      if (h === "ゔ") { h = "ぶ"; vu = true; }
      else if (afterKana && SMALL.indexOf(h) >= 0) h = String.fromCharCode(h.charCodeAt(0) + 1);
      prev = { at: out.length, ch: h, katakana: katakana, vu: vu };
      put(h, i);
    });
    endWord();
    return out;
  }

  /* The query as indexed before the variant table (analyzer.rs `fold_spelling`). */
  function foldSpelling(text) {
    return foldKanaAndWords(String(text).normalize("NFKC").toLowerCase()).join("");
  }

  function isCjk(cp) {
    return (cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x3041 && cp <= 0x309F) || (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x30FC && cp <= 0x30FF) ||
      (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x2FFFF);
  }
  var ALPHA = /^\p{Alphabetic}$/u;
  function isAsciiWord(ch) { return /^[a-z0-9]$/i.test(ch); }
  function isWord(ch) {
    var cp = ch.codePointAt(0);
    return isAsciiWord(ch) || (cp > 0x7F && !isCjk(cp) && ALPHA.test(ch));
  }

  function Analyzer(folds) {
    this.folds = {};
    var self = this;
    (folds || []).forEach(function (pair) {
      var key = Array.from(pair[0]);
      var first = key[0];
      (self.folds[first] = self.folds[first] || []).push({ key: key, canonical: pair[1] });
    });
    Object.keys(this.folds).forEach(function (k) {
      self.folds[k].sort(function (x, y) { return y.key.length - x.key.length; });
    });
  }

  Analyzer.prototype.fold = function (text) {
    return this.variants(foldKanaAndWords(String(text).normalize("NFKC").toLowerCase())).text;
  };

  /* The folded text (analyzer.rs `fold`) and, per character of it, the range [from, to] of
     source characters it stands for: what a snippet marks when a folded form is found.
     NFKC is applied per character with the marks that follow it (ｶﾞ, か゛), so that each
     result character knows its source. */
  Analyzer.prototype.foldSpans = function (text) {
    var src = [], norm = "", chars = Array.from(String(text));
    for (var i = 0; i < chars.length;) {
      var j = i + 1;
      while (j < chars.length && /^[\p{M}\uFF9E\uFF9F]$/u.test(chars[j])) j++;
      var from = i, to = j - 1;
      Array.from(chars.slice(i, j).join("").normalize("NFKC").toLowerCase()).forEach(function (n) { norm += n; src.push([from, to]); });
      i = j;
    }
    var span = [];
    return this.variants(foldKanaAndWords(norm, src, span), span);
  };

  /* Step 3 of the chain (the variant table) on folded characters, with their spans. */
  Analyzer.prototype.variants = function (chars, span) {
    var out = "", i = 0, spans = [];
    span = span || [];
    while (i < chars.length) {
      var entries = this.folds[chars[i]], matched = null;
      if (entries) {
        for (var e = 0; e < entries.length && !matched; e++) {
          var key = entries[e].key, n = key.length, ok = i + n <= chars.length;
          for (var j = 0; ok && j < n; j++) ok = key[j] === chars[i + j];
          if (ok && isAsciiWord(key[0]) && i > 0 && isAsciiWord(chars[i - 1])) ok = false;
          if (ok && isAsciiWord(key[n - 1]) && i + n < chars.length && isAsciiWord(chars[i + n])) ok = false;
          if (ok) matched = entries[e];
        }
      }
      if (matched) {
        var range = span.length ? [span[i][0], span[i + matched.key.length - 1][1]] : null;
        out += matched.canonical;
        Array.from(matched.canonical).forEach(function () { spans.push(range); });
        i += matched.key.length;
      } else { out += chars[i]; spans.push(span[i]); i += 1; }
    }
    return { text: out, spans: spans };
  };

  function runs(text) {
    var out = [], cjk = [], word = "";
    function flushCjk() { if (cjk.length) { out.push({ cjk: cjk }); cjk = []; } }
    function flushWord() { if (word) { out.push({ word: Array.from(word).slice(0, MAX_WORD).join("") }); word = ""; } }
    Array.from(text).forEach(function (ch) {
      if (isCjk(ch.codePointAt(0))) { flushWord(); cjk.push(ch); }
      else if (isWord(ch)) { flushCjk(); word += ch; }
      else { flushCjk(); flushWord(); }
    });
    flushCjk(); flushWord();
    return out;
  }

  Analyzer.prototype.indexTokens = function (text) {
    var out = [];
    runs(this.fold(text)).forEach(function (r) {
      if (r.word) { out.push(r.word); return; }
      for (var i = 0; i + 1 < r.cjk.length; i++) out.push(r.cjk[i] + r.cjk[i + 1]);
      out.push(r.cjk[r.cjk.length - 1]);
    });
    return out;
  };

  /* Query words, de-duplicated (analyzer.rs `query_words`): each a list of {text, prefix}.
     A CJK word is the phrase of its bigrams; a one-character CJK run matches every term
     that starts with it. */
  Analyzer.prototype.queryWords = function (query) {
    var out = [], seen = {};
    runs(this.fold(query)).forEach(function (r) {
      var word = [];
      if (r.word) word.push({ text: r.word, prefix: false });
      else if (r.cjk.length === 1) word.push({ text: r.cjk[0], prefix: true });
      else for (var i = 0; i + 1 < r.cjk.length; i++) word.push({ text: r.cjk[i] + r.cjk[i + 1], prefix: false });
      var key = JSON.stringify(word);
      if (!seen[key]) { seen[key] = true; out.push(word); }
    });
    return out;
  };

  /* ---------- the engine ---------- */
  function decodeVarints(s) {
    var out = [], n = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      n += shift < 25 ? (d & 31) << shift : (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; } else { out.push(n); n = 0; shift = 0; }
    }
    return out;
  }

  function Engine(options) {
    options = options || {};
    this.loader = options.loader || scriptLoader(options.base || "");
    this.ready = null;
  }

  Engine.prototype.init = function () {
    var self = this;
    if (!this.ready) {
      this.ready = Promise.all([load(this.loader, "manifest"), load(this.loader, "docs")]).then(function (r) {
        var m = r[0];
        if (m.version !== FORMAT_VERSION) throw new Error("索引の形式が違います（" + m.version + "）");
        self.manifest = m;
        self.analyzer = new Analyzer(m.folds);
        /* A character's place in `next`: how the characters following a bigram are written. */
        self.nextRank = {};
        Array.from(m.next || "").forEach(function (c, i) { self.nextRank[c] = i; });
        self.docs = decodeFacets(r[1], m);
        /* Per facet, every document's values in one typed list (document d's are
           values[start[d]] … values[start[d + 1] − 1]): counting them for thousands of
           results is then a few typed-array loops. */
        self.facetLists = FACETS.map(function (f) {
          var start = new Int32Array(self.docs.length + 1), values = [];
          self.docs.forEach(function (d, i) { Array.prototype.push.apply(values, d.ids[f]); start[i + 1] = values.length; });
          return { start: start, values: Int32Array.from(values) };
        });
        /* Field-norm ids per field, indexed by document. */
        self.norms = r[1].norms.map(function (s) { return Uint8Array.from(decodeVarints(s)); });
        /* Per field and document, BM25's length term k1 · (1 − b + b · length / average). */
        self.lengthTerm = self.norms.map(function (ids, f) {
          var avg = m.fields[f].avg, out = new Float64Array(ids.length);
          for (var d = 0; d < ids.length; d++) out[d] = K1 * (1 - B + B * m.norms[ids[d]] / avg);
          return out;
        });
        return self;
      });
    }
    return this.ready;
  };

  /* Facet values as small integers per document: ids[facet] is an array of vocabulary
     indexes into vocab[facet] (municipalities index the [prefecture, name] pairs). */
  function decodeFacets(payload, m) {
    var v = decodeVarints(payload.facets), i = 0, docs = [];
    for (var d = 0; d < payload.n; d++) {
      var ids = { collection: [v[i++]], prefecture: [], kind: [], domain: [], municipality: [] };
      var p = v[i++]; if (p) ids.prefecture.push(p - 1);
      var k = v[i++]; if (k) ids.kind.push(k - 1);
      var nd = v[i++];
      for (var x = 0; x < nd; x++) ids.domain.push(v[i++]);
      var nm = v[i++];
      for (x = 0; x < nm; x++) ids.municipality.push(v[i++]);
      docs.push({
        id: d, ids: ids,
        collection: m.collections[ids.collection[0]].id,
        prefecture: p ? m.prefectures[p - 1] : null,
        kind: k ? m.kinds[k - 1] : null,
        domains: ids.domain.map(function (x) { return m.domains[x]; }),
        municipalities: ids.municipality.map(function (x) { return m.municipalities[x][1]; })
      });
    }
    return docs;
  }

  /* The display value of vocabulary index `i` of a facet. */
  function facetValue(m, facet, i) {
    switch (facet) {
      case "collection": return m.collections[i].id;
      case "domain": return m.domains[i];
      case "prefecture": return m.prefectures[i];
      case "municipality": return m.municipalities[i][1];
      default: return m.kinds[i];
    }
  }

  function facetSize(m, facet) {
    return ({ collection: m.collections, domain: m.domains, prefecture: m.prefectures, municipality: m.municipalities, kind: m.kinds })[facet].length;
  }

  /* Index of the shard whose range holds `term`: the last shard starting at or before it. */
  Engine.prototype.shardOf = function (term) {
    var s = this.manifest.shards, lo = 0, hi = s.length - 1;
    if (!s.length || term < s[0]) return -1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (s[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  /* analyzer.rs `is_letter_word` and `one_typo_apart`. */
  function isLetterWord(t) { return /^[a-z]+$/.test(t); }
  function oneTypoApart(q, t) {
    if (q.length < TYPO_MIN_LEN || t.length < TYPO_MIN_LEN - 1 || !isLetterWord(q) || !isLetterWord(t)) return false;
    var short = q.length <= t.length ? q : t, long = q.length <= t.length ? t : q, i;
    if (long.length - short.length === 1) {
      for (i = 0; i < short.length && short[i] === long[i]; i++);
      return short.slice(i) === long.slice(i + 1);
    }
    if (long.length !== short.length) return false;
    var diff = [];
    for (i = 0; i < q.length; i++) if (q[i] !== t[i]) diff.push(i);
    if (diff.length === 1) return true;
    return diff.length === 2 && diff[1] === diff[0] + 1 && q[diff[0]] === t[diff[1]] && q[diff[1]] === t[diff[0]];
  }

  /* The postings of the terms a token stands for: {term: encoded}. A longer letter word in
     no document stands for the words one typo away (their list is loaded only then). */
  Engine.prototype.lookup = function (token) {
    var self = this;
    return this.lookupTerm(token).then(function (found) {
      var t = token.text;
      if (token.prefix || Object.keys(found).length || !isLetterWord(t) || t.length < TYPO_MIN_LEN) return found;
      var lengths = (self.manifest.words || []).filter(function (n) { return Math.abs(n - t.length) <= 1; });
      return Promise.all(lengths.map(function (n) { return load(self.loader, "w/" + n); })).then(function (lists) {
        var near = [];
        lists.forEach(function (list) { list.forEach(function (w) { if (oneTypoApart(t, w)) near.push(w); }); });
        return Promise.all(near.map(function (w) { return self.lookupTerm({ text: w, prefix: false }); })).then(function (parts) {
          var all = {};
          parts.forEach(function (p) { Object.keys(p).forEach(function (k) { all[k] = p[k]; }); });
          return all;
        });
      });
    });
  };

  /* A t/ or r/ file's payload as {key: value}, in order: entries of a mark of how many
     UTF-16 units the key shares with the previous key (!#$%&'()*+ for 0 … 9), the rest of
     the key, a space, and the value, which runs to the next mark (export.rs
     `push_front_coded`). */
  var SHARED_MARKS = "!#$%&'()*+";
  function decodeEntries(s) {
    var out = {}, prev = "", i = 0;
    while (i < s.length) {
      var keep = SHARED_MARKS.indexOf(s.charAt(i)), space = s.indexOf(" ", i + 1), j = space + 1;
      while (j < s.length && SHARED_MARKS.indexOf(s.charAt(j)) < 0) j++;
      prev = prev.slice(0, keep) + s.slice(i + 1, space);
      out[prev] = s.slice(space + 1, j);
      i = j;
    }
    return out;
  }

  Engine.prototype.lookupTerm = function (token) {
    var self = this, first = this.shardOf(token.text), shards = [];
    if (!token.prefix) {
      if (first >= 0) shards.push(first);
    } else {
      for (var i = Math.max(first, 0); i < this.manifest.shards.length; i++) {
        if (i > first && this.manifest.shards[i].lastIndexOf(token.text, 0) !== 0) break;
        shards.push(i);
      }
    }
    var cache = this.shardCache || (this.shardCache = {});
    return Promise.all(shards.map(function (n) {
      return load(self.loader, "t/" + n).then(function (p) { return cache[n] || (cache[n] = decodeEntries(p)); });
    })).then(function (loaded) {
      var found = {};
      loaded.forEach(function (shard) {
        if (!token.prefix) {
          if (Object.prototype.hasOwnProperty.call(shard, token.text)) found[token.text] = shard[token.text];
        } else {
          Object.keys(shard).forEach(function (t) { if (t.lastIndexOf(token.text, 0) === 0) found[t] = shard[t]; });
        }
      });
      return found;
    });
  };

  /* One term's postings, decoded once: per field {field, docs, tfs, next, nextAt}. Each
     posting is 4 × (document id delta) + 2 (if the term frequency follows, else it is 1)
     + 1 (if characters that follow the term in that document come after the postings).
     The places (in manifest.next) of posting p's following characters are
     next[nextAt[p] … nextAt[p + 1] − 1], ascending. */
  Engine.prototype.postings = function (term, encoded) {
    var cache = this.cache || (this.cache = {});
    if (cache[term]) return cache[term];
    var v = decodeVarints(encoded), i = 0, out = [];
    while (i < v.length) {
      var field = v[i++], count = v[i++], docs = new Int32Array(count), tfs = new Int32Array(count), doc = 0;
      var has = new Uint8Array(count), nextAt = new Int32Array(count + 1), next = [];
      for (var p = 0; p < count; p++) {
        var x = v[i++];
        doc += Math.floor(x / 4); docs[p] = doc;
        tfs[p] = x & 2 ? v[i++] : 1;
        has[p] = x & 1;
      }
      for (p = 0; p < count; p++) {
        nextAt[p] = next.length;
        if (!has[p]) continue;
        for (var place = -1, more = 1; more; i++) {
          place += Math.floor(v[i] / 2) + 1; more = v[i] & 1;
          next.push(place);
        }
      }
      nextAt[count] = next.length;
      out.push({ field: field, docs: docs, tfs: tfs, next: Int32Array.from(next), nextAt: nextAt });
    }
    return (cache[term] = out);
  };

  /* BM25 of one term in one document (tantivy's formula; index.rs `FieldScorer::score`):
     boost · idf · (1 + k1) · tf / (tf + k1 · (1 − b + b · length / average)). The section's
     weight (all but the tf part) is computed once. */
  Engine.prototype.termScore = function (section, p) {
    if (section.weight === undefined) {
      var m = this.manifest, count = section.docs.length, N = m.n;
      section.weight = m.fields[section.field].boost * Math.log(1 + (N - count + 0.5) / (count + 0.5)) * (1 + K1);
      section.lengthTerm = this.lengthTerm[section.field];
    }
    var tf = section.tfs[p];
    return section.weight * tf / (tf + section.lengthTerm[section.docs[p]]);
  };

  /* Adds one query word's score into `scores` and marks the documents it matches in
     `matched`. A word of one token adds up over its terms and fields; a word of several
     bigrams counts in a field only where it is a phrase there: where each bigram is
     followed by the next one's last character (index.rs `phrase_docs`, from positions).
     Returns whether it matched any document. */
  Engine.prototype.scoreWord = function (word, terms, scores, matched) {
    var self = this, any = false;
    if (word.length === 1) {
      Object.keys(terms[0]).forEach(function (t) {
        self.postings(t, terms[0][t]).forEach(function (section) {
          for (var p = 0; p < section.docs.length; p++) {
            scores[section.docs[p]] += self.termScore(section, p);
            matched[section.docs[p]] = 1;
            any = true;
          }
        });
      });
      return any;
    }
    var pieces = [];
    for (var k = 0; k < word.length; k++) {
      var encoded = terms[k][word[k].text];
      if (encoded === undefined) return false;
      pieces.push(this.postings(word[k].text, encoded));
    }
    // The place of the character each piece after the first adds.
    var wants = word.map(function (t) { var c = Array.from(t.text); return self.nextRank[c[c.length - 1]]; });
    this.manifest.fields.forEach(function (_, f) {
      var sections = pieces.map(function (sects) { return sects.filter(function (s) { return s.field === f; })[0]; });
      if (sections.some(function (s) { return !s; })) return;
      var first = sections[0], cursors = sections.map(function () { return 0; }), at = [];
      docs: for (var p0 = 0; p0 < first.docs.length; p0++) {
        var d = first.docs[p0];
        at[0] = p0;
        for (var k = 1; k < sections.length; k++) {
          var s = sections[k];
          while (cursors[k] < s.docs.length && s.docs[cursors[k]] < d) cursors[k]++;
          if (cursors[k] === s.docs.length || s.docs[cursors[k]] !== d) continue docs;
          at[k] = cursors[k];
        }
        for (k = 0; k + 1 < sections.length; k++) {
          if (wants[k + 1] === undefined || !follows(sections[k], at[k], wants[k + 1])) continue docs;
        }
        for (k = 0; k < sections.length; k++) scores[d] += self.termScore(sections[k], at[k]);
        matched[d] = 1;
        any = true;
      }
    });
    return any;
  };

  /* Whether posting p of a section has the following character of place `want`. */
  function follows(section, p, want) {
    for (var i = section.nextAt[p]; i < section.nextAt[p + 1]; i++) if (section.next[i] === want) return true;
    return false;
  }

  /* ---------- readings (readings.rs) ---------- */
  /* A query word as the text it was cut from (analyzer.rs `word_text`). */
  function wordText(word) {
    return word.map(function (t, k) { var c = Array.from(t.text); return k ? c[c.length - 1] : t.text; }).join("");
  }

  function isHiragana(code) { return code >= 0x3041 && code <= 0x309f; }
  /* readings.rs `is_kana_word`: two or more hiragana. */
  function isKanaWord(text) {
    var chars = Array.from(text);
    return chars.length >= 2 && chars.every(function (c) { return isHiragana(c.charCodeAt(0)); });
  }

  /* The site's words of each reading in `keys` that has some: {reading: [word, …]}. */
  Engine.prototype.readings = function (keys) {
    var self = this, firsts = this.manifest.readings || [], shards = {};
    keys.forEach(function (k) {
      var lo = 0, hi = firsts.length - 1;
      if (!firsts.length || k < firsts[0]) return;
      while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (firsts[mid] <= k) lo = mid; else hi = mid - 1; }
      shards[lo] = true;
    });
    var cache = this.readingCache || (this.readingCache = {});
    return Promise.all(Object.keys(shards).map(function (n) {
      return load(self.loader, "r/" + n).then(function (p) { return cache[n] || (cache[n] = decodeEntries(p)); });
    })).then(function (tables) {
      var found = {};
      tables.forEach(function (t) { keys.forEach(function (k) { if (Object.prototype.hasOwnProperty.call(t, k)) found[k] = t[k].split(" "); }); });
      return found;
    });
  };

  /* readings.rs `alternatives`: the words a kana word is the reading of, else compounds of
     two words whose readings make it up (only then are those readings' files loaded). */
  Engine.prototype.readingAlternatives = function (text) {
    var self = this;
    if (!isKanaWord(text) || !(this.manifest.readings || []).length) return Promise.resolve([]);
    return this.readings([text]).then(function (exact) {
      if (exact[text]) return exact[text].slice();
      var chars = Array.from(text), keys = [];
      for (var j = 2; j + 2 <= chars.length; j++) keys.push(chars.slice(0, j).join(""), chars.slice(j).join(""));
      return self.readings(keys).then(function (t) {
        var out = [];
        for (var j = 2; j + 2 <= chars.length; j++) {
          var a = t[chars.slice(0, j).join("")], b = t[chars.slice(j).join("")];
          if (!a || !b) continue;
          a.forEach(function (x) { b.forEach(function (y) { if (out.length < MAX_COMPOUNDS && out.indexOf(x + y) < 0) out.push(x + y); }); });
        }
        return out;
      });
    });
  };

  /* A query word, then the words it stands for as a reading, each analysed as a query word
     (index.rs `alternatives`): those that are not one word, or repeat one, are left out. */
  Engine.prototype.alternatives = function (word) {
    var self = this;
    return this.readingAlternatives(wordText(word)).then(function (texts) {
      var out = [word], seen = {};
      seen[JSON.stringify(word)] = true;
      texts.forEach(function (t) {
        var words = self.analyzer.queryWords(t), key = words.length === 1 && JSON.stringify(words[0]);
        if (key && !seen[key]) { seen[key] = true; out.push(words[0]); }
      });
      return out;
    });
  };

  var FACETS = ["collection", "domain", "prefecture", "municipality", "kind"];

  /* Runs a query: {tokens, folded, readings, hits: [{doc, score}], facets: {facet: {value: count}}}
     (readings: the words a word in kana found as their reading, 買い物 for かいもの).
     Every word must match (a phrase in one field, a term in any); scores add up over
     words, fields and terms.
     Facet counts for one facet ignore that facet's own filter ("if you chose this instead"). */
  Engine.prototype.search = function (query, filters) {
    var self = this;
    filters = filters || {};
    return this.init().then(function () {
      var words = self.analyzer.queryWords(query || "");
      var tokens = [].concat.apply([], words);
      var folded = self.analyzer.fold(query || "");
      // The words in kanji that words in kana found, as read (for the status and marks).
      var readings = [];
      if (!words.length) {
        return finish(self.docs.map(function (d) { return { doc: d.id, score: 0 }; }));
      }
      // Each word with what it stands for as a reading (a word in kana), each of those
      // with the postings of its terms.
      return Promise.all(words.map(function (word) {
        return self.alternatives(word).then(function (alts) {
          return Promise.all(alts.map(function (w) {
            return Promise.all(w.map(function (t) { return w.length === 1 ? self.lookup(t) : self.lookupTerm(t); })).then(function (terms) {
              return { word: w, terms: terms };
            });
          }));
        });
      })).then(function (perWord) {
        // Every word must match; scores add up over words (and a word's alternatives).
        var N = self.docs.length, total = new Float64Array(N), alive = null;
        perWord.forEach(function (alts) {
          var scores = new Float64Array(N), matched = new Uint8Array(N), next = [], d;
          alts.forEach(function (a, k) {
            var text = wordText(a.word);
            if (self.scoreWord(a.word, a.terms, scores, matched) && k && readings.indexOf(text) < 0) readings.push(text);
          });
          if (alive === null) {
            for (d = 0; d < N; d++) if (matched[d]) { total[d] += scores[d]; next.push(d); }
          } else {
            for (var i = 0; i < alive.length; i++) { d = alive[i]; if (matched[d]) { total[d] += scores[d]; next.push(d); } }
          }
          alive = next;
        });
        var hits = alive.map(function (d) { return { doc: d, score: total[d] }; });
        hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        return finish(hits);
      });

      function finish(all) {
        var m = self.manifest;
        // Each active filter as the set of vocabulary indexes it accepts.
        var active = [];
        FACETS.forEach(function (f) {
          if (!filters[f]) return;
          var ok = new Uint8Array(facetSize(m, f));
          for (var i = 0; i < ok.length; i++) if (facetValue(m, f, i) === filters[f]) ok[i] = 1;
          active.push({ facet: f, ok: ok });
        });
        var counts = FACETS.map(function (f) { return new Int32Array(facetSize(m, f)); });
        var lists = self.facetLists, hits = active.length ? [] : all;
        active.forEach(function (a) { a.list = lists[FACETS.indexOf(a.facet)]; });
        for (var i = 0; i < all.length; i++) {
          var d = all[i].doc, fails = 0, failed = null;
          for (var a = 0; a < active.length; a++) {
            var list = active[a].list, ok = active[a].ok, pass = false;
            for (var x = list.start[d]; x < list.start[d + 1] && !pass; x++) pass = ok[list.values[x]] === 1;
            if (!pass) { fails++; failed = active[a].facet; }
          }
          if (fails > 1) continue;
          if (fails === 0 && active.length) hits.push(all[i]);
          // A facet's counts ignore its own filter: count when every other filter passes.
          for (var f = 0; f < FACETS.length; f++) {
            if (fails === 1 && failed !== FACETS[f]) continue;
            var own = lists[f], c = counts[f], end = own.start[d + 1];
            for (var y = own.start[d]; y < end; y++) c[own.values[y]]++;
          }
        }
        var facets = {};
        FACETS.forEach(function (f, fi) {
          var out = facets[f] = {};
          counts[fi].forEach(function (n, i) { if (n) { var v = facetValue(m, f, i); out[v] = (out[v] || 0) + n; } });
        });
        return { query: query, folded: folded, tokens: tokens, readings: readings, hits: hits, facets: facets };
      }
    });
  };

  /* Title, URL, region and snippet text of one document. */
  Engine.prototype.doc = function (id) {
    var chunk = this.manifest.chunk;
    return load(this.loader, "d/" + Math.floor(id / chunk)).then(function (records) { return records[id % chunk]; });
  };

  /* ---------- highlighting ---------- */
  /* What to mark in a snippet: each query word as folded (a CJK word whole, as it must
     occur, a one-character word, a letter word), longest first. The snippet is folded the
     same way, so コーディネイター marks コーディネーター and 買物 marks 買い物; `readings`
     (a result's) adds the words found by their reading. */
  Engine.prototype.highlightForms = function (query, readings) {
    var forms = {};
    (readings || []).forEach(function (r) { forms[r] = true; });
    this.analyzer.queryWords(query || "").forEach(function (w) {
      forms[w.length === 1 ? w[0].text : w.map(function (t, k) { return k ? Array.from(t.text)[1] : t.text; }).join("")] = true;
    });
    var list = Object.keys(forms).sort(function (x, y) { return y.length - x.length; });
    list.analyzer = this.analyzer;
    return list;
  };

  /* [{text, mark}] pieces of a window of `text` around the first match of `forms`, found
     in the text as folded (`forms.analyzer`, else the text as normalised). */
  function snippet(text, forms, width) {
    var chars = Array.from(text || "");
    var folded = forms.analyzer ? forms.analyzer.foldSpans(text || "") : plainSpans(chars);
    var f = Array.from(folded.text), marks = [], first = -1;
    forms.forEach(function (form) {
      var want = Array.from(form), n = want.length;
      for (var at = 0; n && at + n <= f.length; at++) {
        var k = 0;
        while (k < n && f[at + k] === want[k]) k++;
        if (k < n) continue;
        var s = folded.spans[at][0], e = folded.spans[at + n - 1][1] + 1;
        if (!marks.some(function (mk) { return s < mk[1] && e > mk[0]; })) marks.push([s, e]);
        if (first < 0 || s < first) first = s;
        at += n - 1;
      }
    });
    marks.sort(function (x, y) { return x[0] - y[0]; });
    var start = first < 0 ? 0 : Math.max(0, first - Math.floor(width / 3));
    var end = Math.min(chars.length, start + width), pieces = [], pos = start;
    if (start > 0) pieces.push({ text: "…" });
    marks.forEach(function (mk) {
      if (mk[1] <= pos || mk[0] >= end) return;
      var s = Math.max(mk[0], pos);
      if (s > pos) pieces.push({ text: chars.slice(pos, s).join("") });
      pieces.push({ text: chars.slice(s, Math.min(mk[1], end)).join(""), mark: true });
      pos = Math.min(mk[1], end);
    });
    if (pos < end) pieces.push({ text: chars.slice(pos, end).join("") });
    if (end < chars.length) pieces.push({ text: "…" });
    return pieces;
  }

  /* The text normalised character by character, each from its own source character. */
  function plainSpans(chars) {
    var text = "", spans = [];
    chars.forEach(function (ch, i) { Array.from(normalize(ch)).forEach(function (n) { text += n; spans.push([i, i]); }); });
    return { text: text, spans: spans };
  }

  api.Engine = Engine;
  api.Analyzer = Analyzer;
  api.normalize = normalize;
  api.foldSpelling = foldSpelling;
  api.snippet = snippet;
  if (typeof module !== "undefined" && module.exports) module.exports = api;

  /* ---------- the search page ---------- */
  if (typeof document === "undefined") return;

  var FACET_LABELS = { collection: "種類", domain: "分野", prefecture: "都道府県", municipality: "市区町村", kind: "主体の種別" };
  var PAGE = 10;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function start() {
    var root = document.getElementById("kyoso-search");
    if (!root) return;
    var base = root.getAttribute("data-index") || "";
    var siteRoot = root.getAttribute("data-root") || "";
    var engine = new Engine({ base: base });
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-input");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var facetBox = document.getElementById("search-facets");
    root.hidden = false;
    var noJs = document.getElementById("search-nojs");
    if (noJs) noJs.hidden = true;

    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", filters: {} };
    ["collection", "domain", "prefecture", "municipality", "kind"].forEach(function (f) {
      if (params.get(f)) state.filters[f] = params.get(f);
    });
    input.value = state.q;
    var current = null, shown = 0, seq = 0;

    function syncUrl() {
      var p = new URLSearchParams();
      if (state.q) p.set("q", state.q);
      Object.keys(state.filters).forEach(function (f) { if (state.filters[f]) p.set(f, state.filters[f]); });
      var qs = p.toString();
      try { window.history.replaceState(null, "", qs ? "?" + qs : window.location.pathname.split("/").pop()); } catch (e) { /* file:// in some browsers */ }
    }

    function run() {
      var mine = ++seq;
      status.textContent = "検索しています…";
      engine.search(state.q, state.filters).then(function (r) {
        if (mine !== seq) return;
        current = r; shown = 0;
        list.innerHTML = "";
        renderFacets(r);
        var label = state.q ? "「" + state.q + "」の検索結果" : "絞り込みの結果";
        var also = (r.folded && r.folded !== foldSpelling(state.q) ? [r.folded] : []).concat(r.readings);
        var variant = also.length ? "（" + also.map(function (a) { return "「" + a + "」"; }).join("") + "としても検索しました）" : "";
        if (!r.hits.length) {
          status.textContent = label + "：見つかりませんでした" + variant + "。言葉を短くするか、別の言い方や絞り込みの解除を試してください。";
          more.hidden = true;
          return;
        }
        status.textContent = label + "：" + r.hits.length + "件" + variant;
        showMore();
      }).catch(function (e) {
        status.textContent = "検索できませんでした：" + e.message;
      });
    }

    function showMore() {
      var r = current, forms = engine.highlightForms(state.q, r.readings);
      var batch = r.hits.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = shown >= r.hits.length;
      Promise.all(batch.map(function (h) { return engine.doc(h.doc); })).then(function (docs) {
        docs.forEach(function (d, i) {
          var meta = engine.docs[batch[i].doc];
          var coll = engine.manifest.collections.filter(function (c) { return c.id === meta.collection; })[0];
          var snip = el("p", { "class": "snippet" });
          var pieces = snippet(d.x || d.s, forms, 110);
          if (d.s && !pieces.some(function (pc) { return pc.mark; })) {
            var fromSummary = snippet(d.s, forms, 110);
            if (fromSummary.some(function (pc) { return pc.mark; })) pieces = fromSummary;
          }
          pieces.forEach(function (piece) {
            snip.appendChild(piece.mark ? el("mark", { text: piece.text }) : document.createTextNode(piece.text));
          });
          var info = el("p", { "class": "card-meta" }, [
            el("span", { "class": "badge", text: coll ? coll.label : meta.collection }),
            d.k ? el("span", { text: d.k }) : null,
            d.r ? el("span", { text: d.r }) : null
          ]);
          list.appendChild(el("li", { "class": "search-result" }, [
            el("h2", { "class": "card-title" }, [el("a", { href: /^https?:\/\//.test(d.u) ? d.u : siteRoot + d.u, text: d.t })]), info, snip
          ]));
        });
      });
    }

    function renderFacets(r) {
      facetBox.innerHTML = "";
      var m = engine.manifest;
      ["collection", "domain", "prefecture", "municipality", "kind"].forEach(function (f) {
        var counts = r.facets[f], values = Object.keys(counts);
        if (f === "municipality" && !state.filters.prefecture) return;
        if (f === "kind" && state.filters.collection && state.filters.collection !== "actor") return;
        if (!values.length && !state.filters[f]) return;
        var order = f === "collection" ? m.collections.map(function (c) { return c.id; })
          : f === "domain" ? m.domains : f === "prefecture" ? m.prefectures : f === "kind" ? m.kinds
          : m.municipalities.filter(function (x) { return x[0] === state.filters.prefecture; }).map(function (x) { return x[1]; });
        var fs = el("fieldset", { "class": "facet" }, [el("legend", { text: FACET_LABELS[f] })]);
        var options = [{ value: "", label: "すべて" }].concat(order.filter(function (v) { return counts[v] || state.filters[f] === v; }).map(function (v) {
          var label = v;
          if (f === "collection") label = m.collections.filter(function (c) { return c.id === v; })[0].label;
          return { value: v, label: label + "（" + (counts[v] || 0) + "）" };
        }));
        options.forEach(function (o, i) {
          var id = "facet-" + f + "-" + i;
          var radio = el("input", { type: "radio", name: f, id: id, value: o.value });
          radio.checked = (state.filters[f] || "") === o.value;
          radio.addEventListener("change", function () {
            state.filters[f] = o.value;
            if (f === "prefecture") delete state.filters.municipality;
            syncUrl(); run();
          });
          fs.appendChild(el("div", { "class": "facet-option" }, [radio, el("label", { "for": id, text: o.label })]));
        });
        facetBox.appendChild(fs);
      });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      state.q = input.value.trim();
      syncUrl(); run();
    });
    more.addEventListener("click", function () {
      var before = list.children.length;
      showMore();
      setTimeout(function () { var a = list.children[before] && list.children[before].querySelector("a"); if (a) a.focus(); }, 50);
    });
    run();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})(typeof globalThis !== "undefined" ? globalThis : this);
