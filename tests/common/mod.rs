//! Helpers shared by the integration tests: fixture sites in temporary folders.
#![allow(dead_code)]

use kyoso::pipeline::{self, BuildError, BuildOptions, BuildReport};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG: &str = "title = \"テスト用プラットフォーム\"\nbase_url = \"https://example.jp/pf/\"\nprefecture = \"埼玉県\"\n";

/// A site in a temporary folder with the given files (paths relative to the site root).
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    if !files.iter().any(|(p, _)| *p == "kyoso.toml") {
        write(dir.path(), "kyoso.toml", CONFIG);
    }
    for (p, text) in files {
        write(dir.path(), p, text);
    }
    dir
}

pub fn write(root: &Path, rel: &str, text: &str) {
    write_bytes(root, rel, text.as_bytes());
}

pub fn write_bytes(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

pub fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        today: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
        ..Default::default()
    }
}

pub fn build(root: &Path) -> Result<BuildReport, BuildError> {
    pipeline::build(&options(root))
}

/// Every file under `dir`, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The messages of a failed build, one per line as printed.
pub fn errors(result: Result<BuildReport, BuildError>) -> String {
    match result {
        Ok(_) => panic!("the build should have failed"),
        Err(BuildError::Content(d)) => d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"),
        Err(e) => e.to_string(),
    }
}

pub const CASE: &str = "---\ntitle: 商店街の御用聞き\nsummary: 買い物を支える取り組み\ndate: 2026-04-01\nprefecture: 埼玉県\nmunicipality: 川越市\nactors: [shoten]\ndomains: [買い物, 見守り]\nbusiness_relation: customer-touchpoint\n---\n## 経緯と目的\n\n商店街が[組合](../actors/shoten.md)と始めました。\n";
pub const ACTOR: &str = "---\ntitle: サンプル商店街振興組合\nkind: 協同組合\ncore_business: 商店街の運営\ndomains: [買い物]\nprefecture: 埼玉県\nmunicipalities: [川越市]\n---\n本業の紹介。\n";

/// A self-check (`content/checklist.yaml`) of three questions, one per step: one private
/// (its options are words found nowhere else, so a leak can be searched for) and one
/// public option a spreadsheet would take for a formula. It names
/// `content/pages/bansou.md` ([`BANSOU`]); [`HEADER`] is the header of its answers files.
pub const CHECKLIST: &str = "title: テスト用セルフチェック
support: pages/bansou.md
steps:
  - step: 1
    title: 体制を整える
    read: [pages/bansou.md]
  - step: 2
    title: つながる
  - step: 3
    title: 続ける
themes:
  - title: 体制
    questions:
      - id: sc
        text: SCを配置していますか
        step: 1
        public: true
        options: [いない, 兼務, 専任]
        ready_from: 2
      - id: naisho
        text: 内部の事情を書く質問
        step: 2
        options: [ひみつのまだ, ひみつのできた]
  - title: 連携
    questions:
      - id: renkei
        text: 連携していますか
        step: 3
        public: true
        options: [していない, \"=SUM(1)\"]
";

pub const BANSOU: &str = "---\ntitle: 伴走支援\n---\nアドバイザーを派遣します。\n";

pub const HEADER: &str = "形式,都道府県,市区町村,回答日,sc,naisho,renkei,ステップ,メモ\n";

/// A small site with every collection.
pub fn full_site() -> tempfile::TempDir {
    site(&[
        ("content/_index.md", "---\ntitle: ホーム\n---\nようこそ。\n"),
        ("content/cases/kawagoe.md", CASE),
        (
            "content/cases/kochi.md",
            "+++\ntitle = \"中山間地の移動支援\"\ndate = 2025-10-01\nprefecture = \"高知県\"\nmunicipality = \"四万十町\"\ndomains = [\"移動\", \"見守り\"]\nbusiness_relation = \"csr\"\n+++\n本文\n",
        ),
        ("content/actors/shoten.md", ACTOR),
        (
            "content/actors/taxi.md",
            "---\ntitle: サンプル交通\nkind: 民間企業\ndomains: [移動]\nprefecture: 埼玉県\n---\n県内全域で運行。\n",
        ),
        ("content/guides/start/_index.md", "---\ntitle: 立ち上げガイド\naudience: 市町村の担当者\n---\n紹介\n"),
        ("content/guides/start/b.md", "---\ntitle: 第二章の題\nweight: 2\n---\n## 役割分担\n\n本文\n"),
        ("content/guides/start/a.md", "---\ntitle: 第一章の題\nweight: 1\n---\n## 地域課題\n\n本文\n"),
        (
            "content/events/past.md",
            "---\ntitle: 昨年の交流会\nkind: 交流会\nstart: 2025-11-01 13:30\nend: 2025-11-01 16:00\nvenue: 県民会館\nprefecture: 埼玉県\n---\n終わりました。\n",
        ),
        (
            "content/events/future.md",
            "---\ntitle: 来月の研修\nkind: 研修\nstart: 2026-12-05T13:30:00+09:00\nonline: true\n---\nこれからです。\n",
        ),
        ("content/policies/seikatsu.md", "---\ntitle: 生活支援体制整備事業\nministry: 厚生労働省\nfiscal_year: 2026\ndomains: [見守り]\n---\n概要\n"),
        ("content/news/open.md", "---\ntitle: 公開しました\ndate: 2026-04-01\n---\nお知らせ\n"),
        ("content/pages/about.md", "---\ntitle: このサイトについて\n---\n説明\n"),
        ("content/links.yaml", "- title: 厚生労働省\n  url: https://www.mhlw.go.jp/\n  category: 国の施策\n"),
    ])
}

/// Runs the browser search runtime (tests/js/search_cli.js, under Node) over a built
/// site's `public/search` with the given request, and returns its JSON answer.
pub fn browser_search(public: &Path, request: &serde_json::Value) -> serde_json::Value {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/search_cli.js");
    let mut child = Command::new("node")
        .arg(script)
        .arg(public.join("search"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed to run the browser runtime");
    child.stdin.take().unwrap().write_all(request.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
