//! The `kyoso` command line.

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use kyoso::diagnostics::Severity;
use kyoso::pipeline::{self, BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// mimalloc instead of the system allocator: a build makes and frees millions of small
/// strings and JSON values on every core, and glibc's malloc spent ≈ 13 % of a
/// 10,000-document build in its own locking and bookkeeping.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// `mi_option_purge_delay`'s place in mimalloc v3's `mi_option_e` (libmimalloc-sys does
/// not export it; the test below fails if an upgrade moves it).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Freed memory is kept: by default mimalloc returns it to the OS after a second and
/// later faults it back in, zeroing it again; at 100,000 documents the zeroing alone took
/// ≈ 15 s of CPU (a fifth of all samples). kyoso runs briefly or, in `serve`, at a steady
/// size.
fn tune_allocator() {
    // SAFETY: sets one integer option; valid at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// No transparent huge pages (Linux): mimalloc asks for 2 MiB pages, and the kernel then
/// compacts memory on the spot when free memory is fragmented, as it is on an editor's
/// machine after other programs ran. Built right after Hugo, 10,000 documents took 1.68 s
/// with huge pages and 1.27 s without (medians of 5; system time 0.97 → 0.43 s).
///
/// Switched off from the start: mimalloc's first arena is made by the runtime's first
/// allocation, before `main`, and when `main` switched them off the first two huge
/// pages had already been faulted in and zeroed (about 10 ms on one core, sampled,
/// before anything else could start). A constructor of priority 101 runs before the
/// runtime and before mimalloc's own (unnumbered) constructor.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00101"]
static NO_HUGE_PAGES: extern "C" fn() = {
    extern "C" fn no_huge_pages() {
        // SAFETY: a flag on this process's memory; no pointers involved. Failure (old
        // kernel) only leaves huge pages on.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
    no_huge_pages
};

/// `kyoso check | head` closes the pipe after a few lines. Rust ignores SIGPIPE, so the
/// next `println!` fails and panics ("failed printing to stdout"); with the default
/// action restored, the process ends quietly as other command-line tools do. Not for
/// `serve`, which must survive a browser that closes its connection.
fn quit_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: sets the action of one signal to its default; no handler runs our code.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[derive(Parser)]
#[command(name = "kyoso", version, about = "生活支援共創プラットフォームのサイトを作る静的サイトジェネレーター")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// サイトを生成する（content/ → public/）
    Build {
        /// サイトのフォルダ（kyoso.toml のある場所）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 出力先（既定: <root>/public）
        #[arg(long)]
        output: Option<PathBuf>,
        /// 公開アドレス（kyoso.toml の base_url を上書き）
        #[arg(long)]
        base_url: Option<String>,
        /// 下書き（draft: true）も含める
        #[arg(long)]
        drafts: bool,
        /// 生成日を固定する（YYYY-MM-DD）。イベントの開催予定／終了と公開日時の判定に使う
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
        /// 段階ごとの所要時間を表示する
        #[arg(long)]
        timings: bool,
        /// kyoso が作ったのではないファイルのある出力先にも生成する（それらのファイルは消さず、上書きもしない）
        #[arg(long)]
        force: bool,
    },
    /// 検索する（ブラウザの検索と同じ索引・同じ順位）
    Search {
        /// 検索語（空なら絞り込みだけ）
        query: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 分野で絞り込む（例: 買い物）
        #[arg(long)]
        domain: Option<String>,
        /// 都道府県で絞り込む
        #[arg(long)]
        prefecture: Option<String>,
        /// 市区町村で絞り込む
        #[arg(long)]
        municipality: Option<String>,
        /// 種類で絞り込む（case, actor, guide, chapter, event, policy, news, page）
        #[arg(long)]
        collection: Option<String>,
        /// 主体の種別で絞り込む
        #[arg(long)]
        kind: Option<String>,
        /// 表示する件数
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// JSON で出力する（ツール用）
        #[arg(long)]
        json: bool,
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// 内容を検査する（生成はしない）。リンク切れ・見出しへのリンク・画像・章の並び順も調べる
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 出力形式: text（既定）または json
        #[arg(long, default_value = "text")]
        format: String,
        #[arg(long)]
        drafts: bool,
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// 新しい内容ファイルを作る（例: kyoso new case "商店街の御用聞き"）
    New {
        /// case, actor, guide, chapter, event, policy, news, page
        collection: String,
        /// 題名
        title: String,
        /// ファイル名（既定: 題名から作る）
        #[arg(long)]
        slug: Option<String>,
        /// 章を作るときのガイドブック（フォルダ名）
        #[arg(long)]
        guide: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// CSV・Excel の一覧を取り込んで、1行ごとに Markdown ファイルを作る（checklist: セルフチェックの回答を市区町村ごとに保存する）
    Import {
        /// actors、cases または checklist
        collection: String,
        /// CSV（UTF-8／Shift_JIS／UTF-16）または .xlsx（checklist はいくつでも、フォルダも可）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 列と項目の対応を足す（例: --map 施設の名前=title）
        #[arg(long = "map", value_parser = parse_pair)]
        map: Vec<(String, String)>,
        /// 一覧にない項目の値（例: --set kind=社会福祉法人 --set domains=介護）
        #[arg(long = "set", value_parser = parse_pair)]
        set: Vec<(String, String)>,
        /// 書き込まずに、何が起きるかだけ表示する
        #[arg(long)]
        dry_run: bool,
        /// 編集されたファイルも上書きする
        #[arg(long)]
        force: bool,
        /// 一覧から消えた行のファイル（この一覧から取り込んだもの）を削除する
        #[arg(long)]
        delete_missing: bool,
    },
    /// 手元で確認する（127.0.0.1 のみ。保存すると再生成し、開いているページを再読み込み）
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// 下書きも表示する
        #[arg(long)]
        drafts: bool,
    },
    /// 取り組み事例集（全事例、または分野・都道府県ごと）を PDF にする（Chromium を使う）
    Booklet {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 分野の事例集にする（例: 買い物）
        #[arg(long)]
        domain: Option<String>,
        /// 都道府県の事例集にする（例: 高知県）
        #[arg(long)]
        prefecture: Option<String>,
        /// 書き出す PDF ファイル（既にあるファイルは上書きしません）
        #[arg(long)]
        pdf: PathBuf,
        /// 事例が100件を超えて分冊になる事例集の、何冊目を印刷するか
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        volume: u16,
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// 新しいサイトの雛形を作る
    Init {
        /// 作るフォルダ
        dir: PathBuf,
    },
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=').map(|(a, b)| (a.trim().to_string(), b.trim().to_string())).ok_or_else(|| format!("「{s}」は 名前=値 の形ではありません"))
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("「{s}」は YYYY-MM-DD の日付ではありません"))
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        quit_quietly_on_closed_pipe();
    }
    match cli.command {
        Command::Build { root, output, base_url, drafts, today, timings, force } => {
            let opts = BuildOptions { root, output, base_url, drafts, today, force };
            build(&opts, timings)
        }
        Command::Search { query, root, domain, prefecture, municipality, collection, kind, limit, json, today } => {
            let opts = BuildOptions { root, today, ..Default::default() };
            let filters = kyoso::search::index::Filters { collection, domain, prefecture, municipality, kind };
            search(&opts, &query, &filters, limit, json)
        }
        Command::Check { root, format, drafts, today } => {
            let opts = BuildOptions { root, drafts, today, ..Default::default() };
            check(&opts, &format)
        }
        Command::New { collection, title, slug, guide, root } => {
            let Some(c) = kyoso::schema::Collection::from_name(&collection) else {
                eprintln!("エラー: 「{collection}」は作れる種類ではありません（case, actor, guide, chapter, event, policy, news, page）");
                return ExitCode::FAILURE;
            };
            let today = chrono::Utc::now().with_timezone(&kyoso::dates::jst()).date_naive();
            match kyoso::scaffold::new_file(&root, c, &title, slug.as_deref(), guide.as_deref(), today) {
                Ok(p) => {
                    println!("{} を作りました（下書き: draft: true）。項目を埋めて、公開するときは draft: false にしてください。", p.display());
                    if slug.is_none() && kyoso::validate::romanise(&title).is_none() {
                        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                        println!("題名が漢字を含むため、ファイル名（ページのアドレス）を作った日付から {stem} にしました。");
                        println!("読みやすい名前にするには、このファイルを消して --slug で選び直してください（例: kyoso new {} \"{title}\" --slug kawagoe-mimamori）。", c.name());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("エラー: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Import { collection, files, root, map, set, dry_run, force, delete_missing } => {
            let c = match collection.as_str() {
                "actors" | "actor" => kyoso::schema::Collection::Actor,
                "cases" | "case" => kyoso::schema::Collection::Case,
                "checklist" => return import_checklist(&kyoso::checklist::import::Options { files, root, dry_run, force }),
                other => {
                    eprintln!("エラー: 「{other}」は取り込めません（actors、cases または checklist）");
                    return ExitCode::FAILURE;
                }
            };
            let mut code = ExitCode::SUCCESS;
            for file in files {
                if import(&kyoso::import::Options { collection: c, file, root: root.clone(), map: map.clone(), set: set.clone(), dry_run, force, delete_missing }) != ExitCode::SUCCESS {
                    code = ExitCode::FAILURE;
                }
            }
            code
        }
        Command::Serve { root, port, drafts } => match kyoso::serve::serve(BuildOptions { root, drafts, ..Default::default() }, port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("エラー: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Booklet { root, domain, prefecture, pdf, volume, today } => {
            let opts = BuildOptions { root, today, ..Default::default() };
            match kyoso::pdf::booklet_pdf(&opts, domain.as_deref(), prefecture.as_deref(), volume.into(), &pdf) {
                Ok(p) if p.volumes > 1 => {
                    println!("事例集 全{}分冊のうち第{volume}分冊（{}）を {} に書き出しました", p.volumes, p.page, pdf.display());
                    println!("ほかの分冊は --volume 番号 をつけて印刷できます（例: --volume {}）", if volume == 1 { 2 } else { 1 });
                    ExitCode::SUCCESS
                }
                Ok(p) => {
                    println!("事例集（{}）を {} に書き出しました", p.page, pdf.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Init { dir } => match kyoso::scaffold::init(&dir) {
            Ok(n) => {
                println!("{} に新しいサイトを作りました（{n} ファイル）。", dir.display());
                println!("次に: kyoso build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("エラー: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn build(opts: &BuildOptions, show_timings: bool) -> ExitCode {
    let start = Instant::now();
    match pipeline::build(opts) {
        Ok(report) => {
            for d in report.diagnostics.iter() {
                eprintln!("{d}");
            }
            if show_timings {
                for (stage, t) in &report.timings {
                    println!("  {stage:<9} {:>8.3} s", t.as_secs_f64());
                }
                println!("  （render と index は並行して実行します）");
                println!("  postings  {:>8.3} s（markdown の中で検索索引の語を集めた時間、全コアの合計）", report.postings_work.as_secs_f64());
            }
            if !report.kept.is_empty() {
                let shown: Vec<&str> = report.kept.iter().take(5).map(String::as_str).collect();
                let more = report.kept.len() - shown.len();
                println!(
                    "kyoso が作っていないファイル {} 件は、そのまま残しました: {}{}",
                    report.kept.len(),
                    shown.join("、"),
                    if more > 0 { format!(" ほか {more} 件") } else { String::new() }
                );
            }
            let warnings = report.diagnostics.count(Severity::Warning);
            println!(
                "{} ページ（{} ファイル）を {:.2} 秒で {} に生成しました{}",
                report.pages,
                report.files,
                start.elapsed().as_secs_f64(),
                report.output.display(),
                if warnings > 0 { format!("（警告 {warnings} 件）") } else { String::new() }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let BuildError::Content(d) | BuildError::Render(d, _) = &e {
                for d in d.iter() {
                    eprintln!("{d}");
                }
            }
            eprintln!("{e}");
            eprintln!("生成を中止しました。{} は変更していません。", opts.output_dir().display());
            ExitCode::FAILURE
        }
    }
}

fn search(opts: &BuildOptions, query: &str, filters: &kyoso::search::index::Filters, limit: usize, json: bool) -> ExitCode {
    match pipeline::search(opts, query, filters) {
        Ok(r) => {
            if json {
                let hits: Vec<_> = r
                    .hits
                    .iter()
                    .take(limit)
                    .map(|h| serde_json::json!({"url": r.docs[h.doc].url, "title": r.docs[h.doc].title, "score": h.score}))
                    .collect();
                println!("{}", serde_json::json!({"query": query, "folded": r.folded, "total": r.hits.len(), "hits": hits}));
                return ExitCode::SUCCESS;
            }
            if r.folded != kyoso::search::spelling::normalize(query) {
                println!("「{query}」を「{}」としても検索しました", r.folded);
            }
            println!("{} 件（上位 {} 件を表示）", r.hits.len(), r.hits.len().min(limit));
            for (rank, h) in r.hits.iter().take(limit).enumerate() {
                let d = &r.docs[h.doc];
                println!("{:>3}. [{}] {}  {:.3}", rank + 1, d.collection.label(), d.title, h.score);
                println!("     {}", d.url);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let BuildError::Content(d) = &e {
                for d in d.iter() {
                    eprintln!("{d}");
                }
            }
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn check(opts: &BuildOptions, format: &str) -> ExitCode {
    let diags = kyoso::check::check(opts);
    if format == "json" {
        println!("{}", serde_json::to_string_pretty(&diags.0).expect("json"));
    } else {
        let mut current = None;
        for d in diags.iter() {
            if current != Some(&d.path) {
                println!("\n{}", d.path.display());
                current = Some(&d.path);
            }
            println!("  {d}");
        }
        println!(
            "\nエラー {} 件、警告 {} 件、情報 {} 件",
            diags.count(Severity::Error),
            diags.count(Severity::Warning),
            diags.count(Severity::Info)
        );
    }
    if diags.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn import(opts: &kyoso::import::Options) -> ExitCode {
    match kyoso::import::import(opts) {
        Ok(r) => {
            println!("文字コード: {}", r.encoding);
            if !r.ignored_columns.is_empty() {
                println!("使わなかった列: {}", r.ignored_columns.join("、"));
            }
            for p in &r.written {
                println!("  {}: {}", if r.updated.contains(p) { "更新" } else { "新規" }, p.display());
            }
            for p in &r.unchanged {
                println!("  変更なし: {}", p.display());
            }
            for p in &r.kept {
                println!("  保持（編集済み）: {}（取り込み後に編集されています。--force で上書き）", p.display());
            }
            for d in &r.clashes {
                println!("  衝突: {}", d.to_string().replace('\n', "\n  "));
            }
            for p in &r.missing {
                println!("  一覧にない: {}（この一覧から消えた行のファイルです。--delete-missing で削除。編集済みのファイルは --force も必要）", p.display());
            }
            for p in &r.deleted {
                println!("  削除: {}（一覧から消えた行）", p.display());
            }
            for d in &r.problems {
                println!("  {}", d.to_string().replace('\n', "\n  "));
            }
            let dry = if opts.dry_run { "（--dry-run のため何も変えていません）" } else { "" };
            println!(
                "新規 {} 件、更新 {} 件、変更なし {} 件、保持（編集済み）{} 件、衝突 {} 件、一覧にない {} 件、削除 {} 件、取り込めない行 {} 行{dry}",
                r.written.len() - r.updated.len(),
                r.updated.len(),
                r.unchanged.len(),
                r.kept.len(),
                r.clashes.len(),
                r.missing.len(),
                r.deleted.len(),
                r.skipped.len()
            );
            if r.clashes.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(e) => {
            eprintln!("エラー: {e}");
            ExitCode::FAILURE
        }
    }
}

fn import_checklist(opts: &kyoso::checklist::import::Options) -> ExitCode {
    match kyoso::checklist::import::import(opts) {
        Ok(r) => {
            for (f, encoding) in &r.files {
                println!("{}（文字コード: {encoding}）", f.display());
            }
            for p in &r.written {
                println!("  {}: {}", if r.updated.contains(p) { "更新" } else { "新規" }, p.display());
            }
            for p in &r.unchanged {
                println!("  変更なし: {}", p.display());
            }
            for p in &r.kept {
                println!("  保持（編集済み）: {}（取り込み後に手で直されています。--force で上書き）", p.display());
            }
            for d in r.clashes.iter().chain(&r.problems) {
                println!("  {}", d.to_string().replace('\n', "\n  "));
            }
            let dry = if opts.dry_run { "（--dry-run のため何も変えていません）" } else { "" };
            println!(
                "新規 {} 件、更新 {} 件、変更なし {} 件、保持（編集済み）{} 件、衝突 {} 件、取り込めない行 {} 件{dry}",
                r.written.len() - r.updated.len(),
                r.updated.len(),
                r.unchanged.len(),
                r.kept.len(),
                r.clashes.len(),
                r.problems.iter().filter(|d| d.is_error()).count()
            );
            if r.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("エラー: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_where_we_think() {
        // Its default in v3's options.c is 1000 (ms); the options next to it default to other values.
        // SAFETY: reads integer options.
        assert_eq!(unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY) }, 1000);
        assert_ne!(unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY - 1) }, 1000);
        assert_ne!(unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY + 1) }, 1000);
    }
}
