//! Generates a deterministic, valid kyoso site of any size for benchmarks:
//! `cargo run --release --example gen_corpus -- --docs 10000 --out /tmp/site`
//!
//! All collections in realistic proportions (cases 40 %, actors 35 %, events 10 %, news
//! 7 %, policies 3 %, guides with chapters, pages), Japanese prose of realistic length
//! (1,500–4,000 characters per case), every 分野, many municipalities in every
//! prefecture, actors with locations, cases referring to actors.
//!
//! `--text DIR` takes the sentences from the Markdown files in DIR instead of a few
//! template sentences (e.g. `bench/corpora/vue-docs-ja`: real Japanese with its much larger
//! vocabulary); `--markup rich` adds lists, tables, links and code blocks to the bodies.
//! The default corpus is the one `bench/run.sh` has always measured.

use kyoso::vocab::{ACTOR_KINDS, DOMAINS, EVENT_KINDS, PREFECTURES};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A small deterministic generator (SplitMix64), so every run writes the same site.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TOWN_HEADS: &[&str] = &["北", "南", "東", "西", "桜", "川", "山", "緑", "若葉", "大野", "高田", "中島", "松原", "花見", "青葉", "本郷", "朝日", "古川", "新田", "美浜"];
const TOWN_TAILS: &[&str] = &["山市", "川市", "野町", "原町", "沢村", "浜市", "田町", "里町", "崎市", "島村", "台市", "岡町"];
const BUSINESSES: &[&str] = &["スーパーマーケット", "タクシー事業", "新聞販売", "調剤薬局", "信用金庫", "コンビニエンスストア", "介護事業", "配食サービス", "建設業", "ガス供給", "郵便・物流", "農業協同組合", "生活協同組合", "家電販売", "理美容"];
const NAME_PARTS: &[&str] = &["ひまわり", "さくら", "あおば", "みらい", "ふれあい", "つばさ", "こもれび", "はなみずき", "ゆずりは", "かがやき", "まごころ", "ささえ"];
const SENTENCES: &[&str] = &[
    "{town}では高齢化率が{n}%を超え、{domain}に困る世帯が年々増えていました。",
    "第2層の生活支援コーディネーターが地区を歩いて聞き取りをしたところ、{domain}の支えが足りないという声が多く寄せられました。",
    "{actor}は本業の{business}で地域の人と日常的に接しており、その接点を活かせないかと考えました。",
    "協議体の話し合いでは、住民、行政、事業者がそれぞれの立場から意見を出し合いました。",
    "市の高齢福祉課は、関係者をつなぐ場づくりと情報提供を担当しました。",
    "最初の半年は試行期間とし、利用者の声を聞きながら内容を少しずつ見直しました。",
    "{domain}の取り組みは、介護予防の観点からも効果があると評価されています。",
    "担い手の多くは地域の元気な高齢者で、活動そのものが生きがいにつながっています。",
    "{actor}の担当者は「本業の延長でできることから始めた」と話します。",
    "費用は利用者の負担金と事業者の持ち出し、市の補助金を組み合わせてまかなっています。",
    "月に一度の振り返りの会では、困りごとや気づきを共有し、次の改善につなげています。",
    "買物支援と見守りを組み合わせることで、異変に早く気づけるようになりました。",
    "交通の便が悪い地区では、移動手段の確保が暮らしを続けるうえでの大きな課題です。",
    "申込みは電話のほか、地区の集会所に置いた用紙でも受け付けています。",
    "今後は近隣の{town}とも連携し、取り組みを広げていく予定です。",
    "活動を始めてから{n}か月で、延べ{m}人が利用しました。",
    "一方で、担い手の高齢化と後継者の確保は引き続き課題となっています。",
    "社会福祉協議会はボランティアの募集と研修を受け持ちました。",
    "地域包括支援センターとは、気になる人の情報を共有する仕組みを整えました。",
    "農地の維持と高齢者の居場所づくりを同時に進める点が、この取り組みの特徴です。",
];

fn fill(rng: &mut Rng, template: &str, town: &str, actor: &str, business: &str) -> String {
    template
        .replace("{town}", town)
        .replace("{actor}", actor)
        .replace("{business}", business)
        .replace("{domain}", DOMAINS[rng.below(DOMAINS.len())])
        .replace("{n}", &(10 + rng.below(40)).to_string())
        .replace("{m}", &(50 + rng.below(900)).to_string())
}

/// What the bodies are made of: the template sentences above (a few hundred distinct
/// words), or real sentences taken from a folder of Markdown (`--text DIR`: tens of
/// thousands of words, as real documents have), with or without block markup
/// (`--markup rich`: lists, tables, links between cases, emphasis, code).
struct Style {
    real: Vec<String>,
    rich: bool,
    cases: usize,
}

impl Style {
    fn new(text: Option<&str>, rich: bool, cases: usize) -> Style {
        let mut real = Vec::new();
        if let Some(dir) = text {
            let mut files: Vec<PathBuf> =
                walkdir::WalkDir::new(dir).into_iter().flatten().filter(|e| !e.file_type().is_dir()).map(|e| e.into_path()).filter(|p| p.extension().is_some_and(|x| x == "md")).collect();
            files.sort();
            for f in files {
                let mut fenced = false;
                for line in std::fs::read_to_string(&f).unwrap_or_default().lines() {
                    if line.trim_start().starts_with("```") {
                        fenced = !fenced;
                    }
                    // Prose lines only: not code, headings, tables, lists or raw HTML; link
                    // targets would be broken links here, so lines with links are left out.
                    if fenced || line.is_empty() || line.starts_with(['#', '|', '<', '-', '*', ':', '>', ' ', '!', '[', '{']) || line.contains("](") || line.contains(['<', '{']) {
                        continue;
                    }
                    real.extend(line.split_inclusive('。').map(str::trim).filter(|x| x.chars().count() >= 8).map(String::from));
                }
            }
            assert!(!real.is_empty(), "no sentences in {dir}");
        }
        Style { real, rich, cases }
    }

    /// The same, for files one folder deeper (guide chapters), where `../cases/` links
    /// would point nowhere.
    fn without_links(&self) -> Style {
        Style { real: self.real.clone(), rich: self.rich, cases: 0 }
    }

    fn sentence(&self, rng: &mut Rng, town: &str, actor: &str, business: &str) -> String {
        if self.real.is_empty() {
            let t = rng.clone_pick(SENTENCES);
            fill(rng, t, town, actor, business)
        } else {
            rng.pick(&self.real).clone()
        }
    }
}

fn prose(rng: &mut Rng, style: &Style, chars: usize, town: &str, actor: &str, business: &str, headings: &[&str]) -> String {
    let mut out = String::new();
    let per = chars / headings.len().max(1);
    for h in headings {
        let _ = writeln!(out, "## {h}\n");
        let start = out.chars().count();
        while out.chars().count() - start < per {
            for _ in 0..(3 + rng.below(3)) {
                let s = style.sentence(rng, town, actor, business);
                out.push_str(&s);
            }
            out.push_str("\n\n");
            if style.rich {
                match rng.below(4) {
                    0 => {
                        for _ in 0..3 + rng.below(3) {
                            let s = style.sentence(rng, town, actor, business);
                            let _ = writeln!(out, "- **{}** {s}", rng.pick(DOMAINS));
                        }
                    }
                    1 => {
                        out.push_str("| 項目 | 内容 | 件数 |\n|---|---|---:|\n");
                        for _ in 0..3 + rng.below(3) {
                            let s = style.sentence(rng, town, actor, business);
                            let _ = writeln!(out, "| {} | {s} | {} |", rng.pick(DOMAINS), rng.below(500));
                        }
                    }
                    2 if style.cases > 0 => {
                        let _ = writeln!(out, "詳しくは[関連する事例](../cases/case-{:06}.md)と、`申込書` の*記入例*をご覧ください。", rng.below(style.cases));
                    }
                    _ => out.push_str("```\n申込先: 地域包括支援センター\n受付: 平日 9:00-17:00\n```\n"),
                }
                out.push('\n');
            }
        }
    }
    out
}

trait ClonePick {
    fn clone_pick(&mut self, items: &'static [&'static str]) -> &'static str;
}
impl ClonePick for Rng {
    fn clone_pick(&mut self, items: &'static [&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let docs: usize = get("--docs").and_then(|s| s.parse().ok()).unwrap_or(1000);
    let out = PathBuf::from(get("--out").unwrap_or_else(|| "/tmp/kyoso-corpus".into()));
    let _ = std::fs::remove_dir_all(out.join("content"));
    let mut rng = Rng(20261123);
    let n_cases = docs * 40 / 100;
    let style = Style::new(get("--text").as_deref(), get("--markup").as_deref() == Some("rich"), n_cases);
    write(&out, "kyoso.toml", "title = \"生成コーパス\"\nbase_url = \"https://example.jp/corpus/\"\nprefecture = \"全国\"\n");

    // Towns: ~8 per prefecture.
    let towns: Vec<(&str, String)> = PREFECTURES
        .iter()
        .flat_map(|p| (0..8).map(move |i| (*p, i)))
        .map(|(p, i)| (p, format!("{}{}", TOWN_HEADS[(i * 7 + p.len()) % TOWN_HEADS.len()], TOWN_TAILS[(i * 5 + p.len() * 3) % TOWN_TAILS.len()])))
        .collect();

    let n_actors = docs * 35 / 100;
    let n_events = docs / 10;
    let n_news = docs * 7 / 100;
    let n_policies = (docs * 3 / 100).max(1);
    let n_guides = (docs / 1000).max(1);
    let mut actors = Vec::new();
    for i in 0..n_actors {
        let (pref, town) = rng.pick(&towns).clone();
        let kind = rng.pick(ACTOR_KINDS);
        let business = rng.pick(BUSINESSES);
        let name = format!("{}{}{}", rng.pick(NAME_PARTS), town.trim_end_matches(['市', '町', '村']), if *kind == "民間企業" { "商事" } else { "の会" });
        let slug = format!("actor-{i:06}");
        let domains: Vec<&str> = (0..1 + rng.below(3)).map(|_| *rng.pick(DOMAINS)).collect();
        let len = 400 + rng.below(600);
        let body = prose(&mut rng, &style, len, &town, &name, business, &["本業について", "地域に提供できること"]);
        let lat = 31.0 + (rng.below(1300) as f64) / 100.0;
        let lon = 130.0 + (rng.below(1200) as f64) / 100.0;
        write(&out, &format!("content/actors/{slug}.md"), &format!(
            "---\ntitle: {name}\nkind: {kind}\ncore_business: {business}\ndomains: [{}]\nprefecture: {pref}\nmunicipalities: [{town}]\nlocation: {{lat: {lat:.3}, lon: {lon:.3}}}\nregistered: 2025-{:02}-{:02}\n---\n{body}",
            domains.join(", "), 1 + rng.below(12), 1 + rng.below(28)));
        actors.push((slug, name, pref, town, business));
    }
    let relations = ["care-extension", "customer-touchpoint", "csr"];
    for i in 0..n_cases {
        let (aslug, aname, pref, town, business) = rng.pick(&actors).clone();
        let domains: Vec<&str> = (0..1 + rng.below(3)).map(|_| *rng.pick(DOMAINS)).collect();
        let len = 1500 + rng.below(2500);
        let body = prose(&mut rng, &style, len, &town, &aname, business,
            &["経緯と目的", "活動内容", "解決する地域課題", "本業との関わり", "行政・SC・主体の関係", "成果と課題"]);
        write(&out, &format!("content/cases/case-{i:06}.md"), &format!(
            "---\ntitle: {town}の{}を支える{}の取り組み\nsummary: {aname}が本業を活かして{}に取り組んでいます。\ndate: 2025-{:02}-{:02}\nprefecture: {pref}\nmunicipality: {town}\nactors: [{aslug}]\npartners: [市高齢福祉課, 第2層生活支援コーディネーター]\ndomains: [{}]\nbusiness_relation: {}\nsteps: [{}]\n---\n{body}",
            domains[0], aname, domains[0], 1 + rng.below(12), 1 + rng.below(28), domains.join(", "), rng.pick(&relations), 1 + rng.below(3)));
    }
    for i in 0..n_events {
        let (pref, town) = rng.pick(&towns).clone();
        let month = 1 + rng.below(12);
        let year = 2025 + rng.below(3);
        let day = 1 + rng.below(28);
        let kind = rng.pick(EVENT_KINDS);
        let domain = rng.pick(DOMAINS);
        let body = prose(&mut rng, &style, 400, &town, "", "", &["内容"]);
        write(&out, &format!("content/events/event-{i:06}.md"), &format!(
            "---\ntitle: {town} 多様な主体の{kind}\nkind: {kind}\nstart: {year}-{month:02}-{day:02} 13:30\nend: {year}-{month:02}-{day:02} 16:00\nvenue: {town}公民館\nprefecture: {pref}\ndomains: [{domain}]\n---\n{body}"));
    }
    for i in 0..n_news {
        let body = prose(&mut rng, &style, 300, "県内", "", "", &["お知らせ"]);
        write(&out, &format!("content/news/news-{i:06}.md"), &format!("---\ntitle: お知らせ第{i}号\ndate: 2026-{:02}-{:02}\n---\n{body}", 1 + rng.below(12), 1 + rng.below(28)));
    }
    for i in 0..n_policies {
        let body = prose(&mut rng, &style, 600, "各地", "", "", &["概要", "対象"]);
        write(&out, &format!("content/policies/policy-{i:04}.md"), &format!(
            "---\ntitle: 生活支援関連施策 その{i}\nministry: 厚生労働省\nfiscal_year: {}\nbudget: 地域支援事業交付金の内数\ndomains: [{}]\n---\n{body}", 2024 + rng.below(3), rng.pick(DOMAINS)));
    }
    let guide_style = style.without_links();
    for g in 0..n_guides {
        write(&out, &format!("content/guides/guide-{g:03}/_index.md"), &format!("---\ntitle: 共同事業立ち上げガイド その{g}\nsummary: 事業を立ち上げる手順\n---\n概要です。\n"));
        for c in 0..6 {
            let body = prose(&mut rng, &guide_style, 1500, "市町村", "", "", &["考え方", "進め方"]);
            write(&out, &format!("content/guides/guide-{g:03}/ch{c}.md"), &format!("---\ntitle: 第{}章\nweight: {}\n---\n{body}", c + 1, c + 1));
        }
    }
    for p in ["about", "bansou", "listing"] {
        write(&out, &format!("content/pages/{p}.md"), "---\ntitle: 固定ページ\n---\n本文です。\n");
    }
    let total = n_actors + n_cases + n_events + n_news + n_policies + n_guides * 7 + 3;
    println!("{total} documents written to {}", out.display());
}
