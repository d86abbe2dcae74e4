//! The get-listed form names the file it makes the way `kyoso import` names a row
//! (issue #24, item 2): applicants are not asked for a file name. The browser's
//! `kyosoApply.fileName` (run under Node with the rule the build wrote into the page)
//! must agree with `import::applicant_file_stem` on every kind of name.

mod common;
use common::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// Names of every shape: ASCII, kana, kanji, mixed, digits only, full-width, separators,
/// characters outside the kana table, 4-byte characters.
const NAMES: &[&str] = &[
    "Sample Shop", "npo-abc", "NPO Kawagoe", "さんぷるしょうてん", "カワゴエ・ショウテン", "サンプル商店", "川越商店街振興組合",
    "123", "12 34", "ＡＢＣ商会", "a.b.c", "--x--yz", "ヴィラ", "ーー", "🎉 shop", "Straße", "ab", "abc", "まちのお茶っこ",
    "ゆいまーる", "社会福祉法人　よつば会", "ＫＡＷＡＧＯＥ", "a　b　c", "x_y_z", "きょうそう 2026",
];

/// Runs `static/js/apply.js` under Node (no `document`, as in a test) and names `names`
/// with `rule`, the page's `file_name` setting.
fn names_in_browser(rule: &serde_json::Value, names: &[&str]) -> Vec<String> {
    let script = r#"
        const fs = require("fs"), vm = require("vm");
        const input = JSON.parse(fs.readFileSync(0, "utf8"));
        const context = { TextEncoder };
        vm.createContext(context);
        vm.runInContext(fs.readFileSync(input.js, "utf8"), context);
        process.stdout.write(JSON.stringify(input.names.map((n) => context.kyosoApply.fileName(n, input.rule))));
    "#;
    let js = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/js/apply.js");
    let input = serde_json::json!({"js": js, "rule": rule, "names": names});
    let mut child = Command::new("node")
        .args(["-e", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed to run the browser's form");
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The form's settings, as the build wrote them into the page.
fn schema(html: &str) -> serde_json::Value {
    let start = html.find(r#"data-kyoso="apply-schema">"#).expect("the form's settings") + r#"data-kyoso="apply-schema">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn the_form_names_files_as_an_import_does() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let html = read(dir.path(), "apply/index.html");
    assert!(!html.contains("name=\"slug\""), "no file-name field");
    let rule = &schema(&html)["file_name"];
    let browser = names_in_browser(rule, NAMES);
    let rust: Vec<String> = NAMES.iter().map(|n| kyoso::import::applicant_file_stem(n)).collect();
    assert_eq!(browser, rust);
    assert!(rust.iter().all(|s| kyoso::validate::is_valid_slug(s)), "each is a valid file name: {rust:?}");
}

#[test]
fn the_form_offers_coded_values_by_their_japanese_labels() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let html = read(dir.path(), "apply/index.html");
    for (value, label) in kyoso::vocab::SCALES {
        assert!(html.contains(&format!("<option value=\"{value}\">{label}</option>")), "{value} is offered as {label}");
    }
}
