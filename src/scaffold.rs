//! `kyoso init`: a new site with `kyoso.toml` and one example file per collection.

use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "kyoso.toml",
        r#"# サイトの設定
title = "生活支援共創プラットフォーム"
description = "地域の生活支援を、多様な主体とともに。"
# 公開するアドレス（サイトマップ・フィード用。リンクはすべて相対なので空でも動きます）
base_url = ""
prefecture = "全国"
publisher = ""
# 掲載申し込みフォーム（apply/）の「メールで送る」の宛先
contact_email = ""
# オープンデータ（opendata/ のページ）と文章の利用条件。省略すると CC BY 4.0
# license = "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）"

# 地図のタイル（既定は地理院タイル）
# [map]
# tile_url = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
# attribution = "<a href=\"https://maps.gsi.go.jp/development/ichiran.html\">地理院タイル</a>"

# ほかの kyoso サイトの data/ フォルダを集約して載せる（全国版など）
# [[sources]]
# name = "高知県生活支援共創プラットフォーム"
# path = "exports/kochi"

# [[menu]]
# name = "お問い合わせ"
# url = "contact/"
"#,
    ),
    ("content/_index.md", "---\ntitle: ホーム\n---\n地域の生活支援に取り組む事例と、協力できる団体を紹介します。\n"),
    (
        "content/cases/example-case.md",
        r#"---
title: 商店街の御用聞きで買い物を支える
summary: 商店街の店主が注文を受けて届け、配達のついでに見守りもする取り組みです。
date: 2026-04-01
prefecture: 埼玉県
municipality: 川越市
actors: [example-actor]
partners: [市高齢福祉課, 第2層生活支援コーディネーター]
domains: [買い物, 見守り]
business_relation: customer-touchpoint
steps: [2]
---
## 経緯と目的

ここに取り組みの経緯を書きます。

## 活動内容

## 解決する地域課題

## 本業との関わり

## 行政・SC・主体の関係

## 成果と課題
"#,
    ),
    (
        "content/actors/example-actor.md",
        r#"---
title: サンプル商店街振興組合
kind: 協同組合
core_business: 商店街の運営
domains: [買い物, 見守り]
prefecture: 埼玉県
municipalities: [川越市]
location: {lat: 35.925, lon: 139.486}
---
本業と、地域に提供できることを書きます。
"#,
    ),
    (
        "content/guides/example-guide/_index.md",
        "---\ntitle: 共同事業の立ち上げガイド\nsummary: 事業を立ち上げるまでの手順をまとめます。\n---\nガイドブックの紹介文です。\n",
    ),
    ("content/guides/example-guide/01-kadai.md", "---\ntitle: 解決を目指す地域課題\nweight: 1\n---\n## 課題を知る\n\n本文です。\n"),
    ("content/guides/example-guide/02-schedule.md", "---\ntitle: 立ち上げまでのスケジュール\nweight: 2\n---\n## 準備\n\n本文です。\n"),
    (
        "content/events/example-event.md",
        "---\ntitle: 多様な主体の交流会\nkind: 交流会\nstart: 2027-01-20 13:30\nend: 2027-01-20 16:00\nvenue: 県民会館\nprefecture: 埼玉県\ndomains: [まちづくり]\n---\n内容を書きます。\n",
    ),
    (
        "content/policies/example-policy.md",
        "---\ntitle: 生活支援体制整備事業\nministry: 厚生労働省\nfiscal_year: 2026\nbudget: 地域支援事業交付金の内数\ndomains: [見守り]\n---\n概要を書きます。\n",
    ),
    ("content/news/example-news.md", "---\ntitle: サイトを公開しました\ndate: 2026-04-01\n---\nお知らせの本文です。\n"),
    ("content/pages/about.md", "---\ntitle: このサイトについて\n---\nサイトの目的を書きます。\n"),
    (
        "content/links.yaml",
        "- title: 厚生労働省\n  url: https://www.mhlw.go.jp/\n  category: 国の施策\n  description: 介護保険制度と地域支援事業の情報\n",
    ),
];

/// Writes a new site into `dir`; refuses to overwrite existing files.
pub fn init(dir: &Path) -> Result<usize, String> {
    for (rel, _) in FILES {
        if dir.join(rel).exists() {
            return Err(format!("{} はすでにあります。空のフォルダを指定してください。", dir.join(rel).display()));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| format!("{} を作れません: {e}", p.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{} に書けません: {e}", path.display()))?;
    }
    Ok(FILES.len())
}

/// `kyoso new`: a new content file with every field of the collection, each explained in
/// a Japanese comment. It starts as a draft, so a half-filled file never blocks a build.
pub fn new_file(
    root: &Path,
    collection: crate::schema::Collection,
    title: &str,
    slug: Option<&str>,
    guide: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<std::path::PathBuf, String> {
    use crate::schema::{self, Collection, Ty, Vocab};
    let slug = match slug {
        Some(s) if crate::validate::is_valid_slug(s) => s.to_string(),
        Some(s) => return Err(format!("slug「{s}」は半角英小文字・数字・ハイフンにしてください")),
        None => proposed_slug(collection, title, today),
    };
    let rel = match collection {
        Collection::Guide => format!("content/guides/{slug}/_index.md"),
        Collection::Chapter => {
            let g = guide.ok_or("章を作るときは --guide でガイドブックのフォルダ名を指定してください")?;
            if !root.join("content/guides").join(g).join("_index.md").is_file() {
                return Err(format!("ガイドブック content/guides/{g}/_index.md がありません"));
            }
            format!("content/guides/{g}/{slug}.md")
        }
        c => format!("content/{}/{slug}.md", c.folder()),
    };
    let path = root.join(&rel);
    if path.exists() {
        return Err(format!("{rel} はすでにあります。--slug で別の名前を指定してください"));
    }
    let vocab = |v: Vocab| -> String {
        match v {
            Vocab::Domain => crate::vocab::DOMAINS.join("、"),
            Vocab::Prefecture => "47都道府県の正式名（例: 埼玉県）".into(),
            Vocab::PrefectureOrNation => "47都道府県の正式名、または 全国".into(),
            Vocab::ActorKind => crate::vocab::ACTOR_KINDS.join("、"),
            Vocab::Relation => crate::vocab::RELATIONS.iter().map(|(v, l)| format!("{v}（{l}）")).collect::<Vec<_>>().join("、"),
            Vocab::EventKind => crate::vocab::EVENT_KINDS.join("、"),
            Vocab::Scale => crate::vocab::SCALES.iter().map(|(v, l)| format!("{v}（{l}）")).collect::<Vec<_>>().join("、"),
        }
    };
    let mut text = String::from("---\n");
    for spec in schema::all_fields(collection) {
        if spec.name == "slug" {
            continue;
        }
        let required = if spec.required { "（必須）" } else { "" };
        text.push_str(&format!("# {}{required}: {}\n", spec.label, spec.help));
        if let Ty::Vocab(v) | Ty::Vocabs(v) = spec.ty {
            text.push_str(&format!("#   選べる値: {}\n", vocab(v)));
        }
        let value = match (spec.name, spec.ty) {
            ("title", _) => yaml_string(title),
            ("date", _) => today.to_string(),
            ("draft", _) => "true  # 書き終えたら false にすると公開されます".into(),
            (_, Ty::Texts | Ty::Vocabs(_) | Ty::Steps | Ty::Images) => "[]".into(),
            _ => String::new(),
        };
        text.push_str(&format!("{}:{}{}\n", spec.name, if value.is_empty() { "" } else { " " }, value));
    }
    text.push_str("---\n");
    text.push_str(match collection {
        Collection::Case => "## 経緯と目的\n\n## 活動内容\n\n## 解決する地域課題\n\n## 本業との関わり\n\n## 行政・SC・主体の関係\n\n## 成果と課題\n",
        Collection::Actor => "本業と、地域に提供できること、連携の窓口を書きます。\n",
        Collection::Chapter => "## 見出し\n\n本文を書きます。\n",
        _ => "本文を書きます。\n",
    });
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| format!("{} を作れません: {e}", p.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("{rel} に書けません: {e}"))?;
    Ok(std::path::PathBuf::from(rel))
}

/// The file name (without `.md`) proposed for a new document: the title when it can be
/// written in ASCII, else the collection and the day. Kanji have no reading without a
/// dictionary, and the day it was made is readable. (`kyoso new` and the editor.)
pub fn proposed_slug(collection: crate::schema::Collection, title: &str, today: chrono::NaiveDate) -> String {
    crate::validate::romanise(title).unwrap_or_else(|| format!("{}-{}", collection.name(), today.format("%Y%m%d")))
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}
