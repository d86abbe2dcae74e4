//! The `kyoso` command line.

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use kyoso::diagnostics::Severity;
use kyoso::pipeline::{self, BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

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
    /// 新しいサイトの雛形を作る
    Init {
        /// 作るフォルダ
        dir: PathBuf,
    },
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("「{s}」は YYYY-MM-DD の日付ではありません"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output, base_url, drafts, today, timings } => {
            let opts = BuildOptions { root, output, base_url, drafts, today };
            build(&opts, timings)
        }
        Command::Search { query, root, domain, prefecture, municipality, collection, kind, limit, json, today } => {
            let opts = BuildOptions { root, today, ..Default::default() };
            let filters = kyoso::search::index::Filters { collection, domain, prefecture, municipality, kind };
            search(&opts, &query, &filters, limit, json)
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
            if r.folded != kyoso::search::analyzer::normalize(query) {
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
