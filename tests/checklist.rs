//! The municipal self-check: the checklist is checked like content, answers files are
//! imported safely (row-numbered errors, idempotent, never over another source's file),
//! and the build publishes profiles, overviews and open data with the public answers only.

mod common;
use common::*;
use kyoso::checklist::import::{import, Options, Report};
use std::path::{Path, PathBuf};

fn checklist_site(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![("content/checklist.yaml", CHECKLIST), ("content/pages/bansou.md", BANSOU), ("content/cases/kawagoe.md", CASE), ("content/actors/shoten.md", ACTOR)];
    files.extend_from_slice(extra);
    site(&files)
}

fn run(root: &Path, files: &[PathBuf], force: bool) -> Report {
    import(&Options { files: files.to_vec(), root: root.to_path_buf(), dry_run: false, force }).expect("import runs")
}

fn messages(r: &Report) -> String {
    r.clashes.iter().chain(&r.problems).map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_wrong_checklist_is_refused_with_file_line_and_field() {
    let bad = "title: チェック
steps:
  - step: 1
    title: 一
    read: [guides/none/nothing.md]
  - step: 4
    title: 四
themes:
  - title: 体制
    questions:
      - id: sc
        text: 問い
        step: 1
        options: [ひとつだけ]
      - id: sc
        text: 同じ id
        step: 2
        options: [まだ, できた]
        ready_from: 5
";
    let dir = site(&[("content/checklist.yaml", bad)]);
    let out = errors(build(dir.path()));
    for expected in [
        "content/checklist.yaml:6: step: エラー: ステップ「4」はありません",
        "content/checklist.yaml:11: options: エラー: 質問「sc」の選択肢が 1 個です",
        "content/checklist.yaml:15: id: エラー: 質問の id「sc」が2回使われています",
        "content/checklist.yaml:19: ready_from: エラー: 質問「sc」の ready_from「5」が選択肢の範囲にありません",
        "steps: エラー: ステップ2 の説明がありません",
        "steps: エラー: ステップ3 の説明がありません",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(!dir.path().join("public").exists(), "nothing is written");

    // A field the format does not have, and a suggested page that does not exist.
    let dir = site(&[("content/checklist.yaml", &CHECKLIST.replace("title: 体制\n", "title: 体制\n    colour: red\n"))]);
    let out = errors(build(dir.path()));
    assert!(out.contains("content/checklist.yaml:13:5: エラー: セルフチェックの質問を読み取れません: 項目「colour」は使えません"), "{out}");
    let dir = site(&[("content/checklist.yaml", CHECKLIST)]);
    let out = errors(build(dir.path()));
    assert!(out.contains("content/checklist.yaml:2: support: エラー: 「pages/bansou.md」は公開中のページではありません"), "{out}");
    assert!(out.contains("content/checklist.yaml:6: read: エラー: 「pages/bansou.md」は公開中のページではありません"), "{out}");
}

#[test]
fn a_malformed_answers_file_gets_row_numbered_errors_and_its_good_rows_are_kept() {
    let dir = checklist_site(&[]);
    let csv = format!(
        "{HEADER}kyoso-checklist-1,埼玉県,秩父市,2026-11-01,専任,ひみつのできた,していない,,\n\
         kyoso-checklist-1,埼玉,川越市,2026/11/02,2,1,1,,\n\
         kyoso-checklist-1,さいたま,所沢市,2026-11-03,たくさん,1,1,,\n\
         kyoso-checklist-2,埼玉県,狭山市,,1,1,1,,\n\
         kyoso-checklist-1,埼玉県,秩父市,,1,1,1,,\n\
         kyoso-checklist-1,埼玉県,,昨日,1,1,1,,\n"
    );
    write(dir.path(), "in/answers.csv", &csv);
    let r = run(dir.path(), &[dir.path().join("in")], false);
    let out = messages(&r);
    for expected in [
        "answers.csv:4: 都道府県: エラー: 都道府県「さいたま」がわかりません",
        "answers.csv:4: sc: エラー: 「たくさん」は質問「sc」の選択肢にありません\n    → 選択肢の文か番号を書いてください: 1「いない」、2「兼務」、3「専任」",
        "answers.csv:5: 形式: エラー: 形式「kyoso-checklist-2」の回答は読めません",
        "answers.csv:6: 市区町村: エラー: 埼玉県秩父市の回答が 2 行目にもあります",
        "answers.csv:7: 市区町村: エラー: 市区町村がありません",
        "answers.csv:7: 回答日: エラー: 回答日「昨日」は日付として読めません",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(r.has_errors());
    // 埼玉 is completed, 2026/11/02 read as a date, numbers read as options.
    let written: Vec<String> = r.written.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    assert_eq!(written, ["data/checklist/埼玉県/秩父市.csv", "data/checklist/埼玉県/川越市.csv"]);
    let kept = std::fs::read_to_string(dir.path().join("data/checklist/埼玉県/川越市.csv")).unwrap();
    assert!(kept.contains("kyoso-checklist-1,埼玉県,川越市,2026-11-02,兼務,ひみつのまだ,していない,2,,answers.csv,"), "{kept}");

    // A file that is no answers file at all.
    write(dir.path(), "in2/list.csv", "名称,住所\nA,B\n");
    let r = run(dir.path(), &[dir.path().join("in2/list.csv")], false);
    assert!(messages(&r).contains("list.csv:1: エラー: セルフチェックの回答の表ではありません（列「形式」「都道府県」「市区町村」がありません）"), "{}", messages(&r));
}

#[test]
fn reimport_is_idempotent_and_never_replaces_another_files_answers() {
    let dir = checklist_site(&[]);
    let row = "kyoso-checklist-1,埼玉県,秩父市,2026-11-01,3,2,1,,メモ\n";
    write(dir.path(), "a/chichibu.csv", &format!("{HEADER}{row}"));
    let file = dir.path().join("a/chichibu.csv");
    let first = run(dir.path(), std::slice::from_ref(&file), false);
    assert_eq!(first.written.len(), 1, "{}", messages(&first));
    let kept = dir.path().join("data/checklist/埼玉県/秩父市.csv");
    let bytes = std::fs::read(&kept).unwrap();

    let again = run(dir.path(), std::slice::from_ref(&file), false);
    assert_eq!((again.written.len(), again.unchanged.len()), (0, 1));
    assert_eq!(std::fs::read(&kept).unwrap(), bytes, "re-import changes nothing");

    // The same municipality from another file is a clash, reported at its row.
    write(dir.path(), "b/other.csv", &format!("{HEADER}{row}"));
    let other = run(dir.path(), &[dir.path().join("b/other.csv")], false);
    assert!(messages(&other).contains("other.csv:2: エラー: 埼玉県秩父市の回答を data/checklist/埼玉県/秩父市.csv に書けません: そのファイルは chichibu.csv から取り込んだものです"), "{}", messages(&other));
    assert_eq!(std::fs::read(&kept).unwrap(), bytes);

    // A hand edit is kept, unless --force; the same file's new answers then replace it.
    let edited = String::from_utf8(bytes.clone()).unwrap().replace(",兼務,", ",いない,").replace(",専任,", ",いない,");
    std::fs::write(&kept, &edited).unwrap();
    write(dir.path(), "a/chichibu.csv", &format!("{HEADER}{}", row.replace(",3,2,1,", ",2,2,1,")));
    let r = run(dir.path(), std::slice::from_ref(&file), false);
    assert_eq!(r.kept.len(), 1, "{r:?}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), edited);
    let r = run(dir.path(), std::slice::from_ref(&file), true);
    assert_eq!(r.updated.len(), 1, "{r:?}");

    // A file written by hand (no provenance) is never replaced.
    write(dir.path(), "data/checklist/埼玉県/川越市.csv", &format!("{HEADER}kyoso-checklist-1,埼玉県,川越市,,1,1,1,,\n"));
    write(dir.path(), "c/kawagoe.csv", &format!("{HEADER}kyoso-checklist-1,埼玉県,川越市,,3,2,2,,\n"));
    let r = run(dir.path(), &[dir.path().join("c/kawagoe.csv")], false);
    assert!(messages(&r).contains("手書きのファイル"), "{}", messages(&r));
    assert!(std::fs::read_to_string(dir.path().join("data/checklist/埼玉県/川越市.csv")).unwrap().contains(",1,1,1,"));

    // An Excel workbook with the same columns (a bad answer in its third row).
    let xlsx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checklist/answers.xlsx");
    let dir = checklist_site(&[]);
    let r = run(dir.path(), &[xlsx], false);
    assert_eq!(r.files[0].1, "Excel");
    assert_eq!(r.written, [PathBuf::from("data/checklist/埼玉県/秩父市.csv")], "{}", messages(&r));
    assert!(messages(&r).contains("answers.xlsx:3: sc: エラー: 「9」は質問「sc」の選択肢にありません"), "{}", messages(&r));
}

/// Every output file's text.
fn output_texts(root: &Path) -> Vec<(PathBuf, String)> {
    snapshot(&root.join("public")).into_iter().map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned())).collect()
}

#[test]
fn profiles_overviews_and_open_data_show_public_answers_only() {
    let dir = checklist_site(&[("content/pages/bansou.md", BANSOU)]);
    write(
        dir.path(),
        "in/answers.csv",
        &format!(
            "{HEADER}kyoso-checklist-1,埼玉県,小鹿野町,2026-11-01,3,ひみつのできた,2,3,メモはないしょの連絡先\n\
             kyoso-checklist-1,埼玉県,川越市,2026-11-02,1,ひみつのまだ,1,1,\n"
        ),
    );
    let r = run(dir.path(), &[dir.path().join("in/answers.csv")], false);
    assert_eq!(r.written.len(), 2, "{}", messages(&r));
    build(dir.path()).expect("builds");

    // 小鹿野町 has no case, yet its profile exists: step 3, its public answers.
    let profile = read(dir.path(), "regions/埼玉県/小鹿野町/index.html");
    assert!(profile.contains("ステップ3</span> 続ける"), "{profile}");
    assert!(profile.contains("<dt>SCを配置していますか</dt><dd>専任（3段階の3）</dd>"), "{profile}");
    assert!(profile.contains("href=\"../../../bansou/index.html\""), "suggests the 伴走支援 page");
    // 川越市 has a case: the profile is on its region page with the case.
    let kawagoe = read(dir.path(), "regions/埼玉県/川越市/index.html");
    assert!(kawagoe.contains("ステップ1</span> 体制を整える") && kawagoe.contains("商店街の御用聞き"), "{kawagoe}");
    assert!(kawagoe.contains("<li>SCを配置していますか</li>"), "names the public question that holds it at step 1");

    // The prefecture's overview and the self-check's: one row per municipality, counts per step.
    let ogano = "regions/%E5%9F%BC%E7%8E%89%E7%9C%8C/%E5%B0%8F%E9%B9%BF%E9%87%8E%E7%94%BA/index.html";
    for (page, link) in [("regions/埼玉県/index.html", format!("../../{ogano}")), ("checklist/index.html", format!("../{ogano}"))] {
        let html = read(dir.path(), page);
        assert!(html.contains(&format!("<a href=\"{link}\">小鹿野町</a></th><td data-sort=\"3\">")), "{page}: {html}");
        assert!(html.contains("体制を整える：1 市区町村") && html.contains("続ける：1 市区町村"), "{page}");
    }
    assert!(read(dir.path(), "regions/index.html").contains("小鹿野町"), "the regions index lists it");

    // Open data: public answers, the formula guard, listed on the open-data page.
    let csv = read(dir.path(), "data/checklist.csv");
    assert!(csv.starts_with("\u{feff}都道府県名,市区町村名,ステップ,回答日,sc,renkei,掲載ページ\r\n"), "{csv}");
    assert!(csv.contains("埼玉県,小鹿野町,3,2026-11-01,専任,'=SUM(1),https://example.jp/pf/regions/"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "data/checklist.json")).unwrap();
    assert_eq!(json["items"][0]["answers"]["sc"], "専任");
    assert!(json["items"][0]["answers"].get("naisho").is_none());
    let opendata = read(dir.path(), "opendata/index.html");
    assert!(opendata.contains("href=\"../data/checklist.csv\"") && opendata.contains("href=\"../data/checklist.json\""));

    // Private answers and the memo reach no output file; the public ones do (so the
    // search below would find a leak).
    let texts = output_texts(dir.path());
    assert!(texts.iter().any(|(_, t)| t.contains("専任")));
    for secret in ["ひみつのまだ", "ひみつのできた", "ないしょの連絡先", "内部の事情を書く質問"] {
        let leaks: Vec<&PathBuf> = texts.iter().filter(|(p, t)| t.contains(secret) && !p.ends_with("checklist/index.html")).map(|(p, _)| p).collect();
        assert!(leaks.is_empty(), "{secret} leaked into {leaks:?}");
    }
    // The self-check page asks every question (the private one too) but shows no answer.
    let page = read(dir.path(), "checklist/index.html");
    assert!(page.contains("内部の事情を書く質問") && !page.contains("ないしょの連絡先"));
    assert!(!dir.path().join("public/data/checklist").exists() && !texts.iter().any(|(p, _)| p.to_string_lossy().contains("checklist.yaml")));
}

/// `kyoso serve` rebuilds when answers are imported while it runs: the first import (which
/// makes `data/checklist/`) and later ones.
#[test]
fn serve_rebuilds_when_answers_are_imported() {
    use std::io::{BufRead, Read, Write};
    let dir = checklist_site(&[]);
    /// Ends the server however the test ends.
    struct Serving(std::process::Child);
    impl Drop for Serving {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut serving = Serving(
        std::process::Command::new(env!("CARGO_BIN_EXE_kyoso"))
            .args(["serve", "--port", "0", "--root"])
            .arg(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut lines = std::io::BufReader::new(serving.0.stdout.take().unwrap()).lines();
    let first = lines.find_map(|l| l.ok().filter(|l| l.starts_with("http://"))).expect("serve prints its address");
    std::thread::spawn(move || for _ in lines {});
    let port: u16 = first.strip_prefix("http://127.0.0.1:").and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("{first}"));
    let checklist_page = || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /checklist/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
        let mut page = String::new();
        let _ = s.read_to_string(&mut page);
        page
    };
    let shown_within = |name: &str| {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(30) {
            if checklist_page().contains(name) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    };
    assert!(checklist_page().contains("回答した市区町村の状況"), "serves the self-check");
    let mut shown = Vec::new();
    for (n, town) in ["小鹿野町", "川越市"].into_iter().enumerate() {
        let file = format!("in/{n}.csv");
        write(dir.path(), &file, &format!("{HEADER}kyoso-checklist-1,埼玉県,{town},2026-11-01,3,,2,,\n"));
        assert_eq!(run(dir.path(), &[dir.path().join(&file)], false).written.len(), 1);
        shown.push(shown_within(town));
    }
    drop(serving);
    assert_eq!(shown, [true, true], "the preview shows each imported municipality");
}

/// The overviews' maps: a municipality is placed where the site's published actors with an
/// address in it are (their mean); one without is listed beside the map in words.
#[test]
fn overview_maps_place_municipalities_by_their_actors_and_list_the_others() {
    let actor = |address: &str, lat: f64, lon: f64, draft: bool| {
        format!("---\ntitle: 主体\nkind: 民間企業\ndomains: [買い物]\nprefecture: 埼玉県\naddress: {address}\nlocation: {{lat: {lat}, lon: {lon}}}\ndraft: {draft}\n---\n本文\n")
    };
    let (a, b, other, draft) = (
        actor("埼玉県秩父郡小鹿野町小鹿野1", 36.0, 138.98, false),
        actor("小鹿野町両神2", 36.02, 139.0, false),
        actor("埼玉県秩父市宮側町1", 35.99, 139.08, false),
        actor("埼玉県秩父郡小鹿野町3", 36.5, 139.5, true),
    );
    let dir = checklist_site(&[("content/actors/a.md", &a), ("content/actors/b.md", &b), ("content/actors/other.md", &other), ("content/actors/draft.md", &draft)]);
    write(dir.path(), "in/answers.csv", &format!("{HEADER}kyoso-checklist-1,埼玉県,小鹿野町,2026-11-01,3,,2,,\nkyoso-checklist-1,埼玉県,川越市,2026-11-02,1,,1,,\n"));
    assert_eq!(run(dir.path(), &[dir.path().join("in/answers.csv")], false).written.len(), 2);
    build(dir.path()).expect("builds");
    for page in ["checklist/index.html", "regions/埼玉県/index.html"] {
        let html = read(dir.path(), page);
        let row = |town: &str| {
            let end = html.find(&format!("\">{town}</a></th>")).unwrap_or_else(|| panic!("{page}: no row for {town}"));
            html[html[..end].rfind("<tr").unwrap()..end].to_string()
        };
        assert!(row("小鹿野町").starts_with("<tr data-lat=\"36.01\" data-lon=\"138.99\" data-step=\"2\">"), "{page}: {}", row("小鹿野町"));
        assert!(row("川越市").starts_with("<tr>"), "{page}: 川越市 has no actor with a position: {}", row("川越市"));
        let unplaced = &html[html.find("class=\"checklist-unplaced\"").unwrap_or_else(|| panic!("{page}: {html}"))..];
        let unplaced = &unplaced[..unplaced.find("</ul>").unwrap()];
        assert!(unplaced.contains("川越市</a>：ステップ1（体制を整える）") && !unplaced.contains("小鹿野町"), "{page}: {unplaced}");
        // The legend says each step in words beside the marker it uses.
        for (n, title) in [(1, "体制を整える"), (2, "つながる"), (3, "続ける")] {
            assert!(html.contains(&format!("<span class=\"step-marker step-{n}\" aria-hidden=\"true\"><span>{n}</span></span> ステップ{n}（{title}）")), "{page}");
        }
        assert!(html.contains("js/map.js\"></script>") && html.contains("data-kyoso=\"map-config\""), "{page}");
    }
    // A site whose answered municipalities have no position shows no map, only the table.
    std::fs::remove_file(dir.path().join("content/actors/a.md")).unwrap();
    std::fs::remove_file(dir.path().join("content/actors/b.md")).unwrap();
    build(dir.path()).expect("builds");
    let html = read(dir.path(), "checklist/index.html");
    assert!(!html.contains("data-checklist-map") && !html.contains("leaflet.js") && html.contains("小鹿野町</a></th>"));
}
