//! `kyoso booklet --pdf FILE`: the 事例集 booklet (see `render::booklet`) printed to a PDF
//! by a headless Chromium, the browser whose print engine the booklet's page breaks are
//! made for. The site is built into a temporary folder first (the site's own `public/` is
//! not touched). Without Chromium, the message says how to print the same page from any
//! browser instead.

use crate::pipeline::{self, BuildOptions};
use crate::render::booklet_path;
use crate::vocab;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browsers tried, in order, when `KYOSO_CHROMIUM` names none.
const CHROMIUM: &[&str] = &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/// What [`booklet_pdf`] printed.
pub struct Printed {
    /// The booklet volume's page, relative to the site.
    pub page: String,
    /// How many volumes the booklet has (see `render::booklet`).
    pub volumes: usize,
}

/// Writes a volume (1 for the first) of the booklet of every case, of a 分野 or of a
/// prefecture to `pdf`.
pub fn booklet_pdf(opts: &BuildOptions, domain: Option<&str>, prefecture: Option<&str>, volume: usize, pdf: &Path) -> Result<Printed, String> {
    if domain.is_some() && prefecture.is_some() {
        return Err("--domain と --prefecture は同時には指定できません。分野ごと・都道府県ごとの事例集のどちらかを選んでください。".into());
    }
    let prefecture = match prefecture {
        Some(p) => Some(vocab::complete_prefecture(p).or_else(|| vocab::PREFECTURES.iter().copied().find(|x| *x == p)).ok_or_else(|| format!("「{p}」は都道府県の名前ではありません（例: 高知県）。"))?),
        None => None,
    };
    if pdf.exists() {
        return Err(format!("{} は既にあります。上書きはしません。別の名前を指定するか、そのファイルを移してからもう一度実行してください。", pdf.display()));
    }
    let page = booklet_path(domain, prefecture, volume);
    let Some(chromium) = find_chromium() else {
        return Err(format!(
            "PDF を作るための Chromium（または Google Chrome）が見つかりませんでした。ブラウザから PDF にできます:\n\
             1. `kyoso build` でサイトを作ります。\n\
             2. できた public/{page} をブラウザで開きます（ファイルをダブルクリック）。\n\
             3. 「印刷」（Windows は Ctrl＋P、Mac は ⌘＋P）を開き、送信先（プリンター）で「PDF に保存」を選んで保存します。\n\
             表紙・目次のあと、事例が1件ずつ新しいページから始まります。\n\
             Chromium を入れると、このコマンドで直接 PDF にできます（Debian・Ubuntu: apt-get install chromium。場所は環境変数 KYOSO_CHROMIUM でも指定できます）。"
        ));
    };
    let work = std::env::temp_dir().join(format!("kyoso-booklet-{}-{}", std::process::id(), chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)));
    let volumes = |out: &Path| (1..).take_while(|&n| out.join(booklet_path(domain, prefecture, n)).exists()).count();
    let result = print(opts, &work, &page, &chromium, pdf, volume, volumes);
    // Only the folder this command made.
    let _ = std::fs::remove_dir_all(&work);
    result.map(|volumes| Printed { page, volumes })
}

/// Builds the site into `work` and prints `page`; returns the booklet's number of volumes.
fn print(opts: &BuildOptions, work: &Path, page: &str, chromium: &Path, pdf: &Path, volume: usize, volumes: impl Fn(&Path) -> usize) -> Result<usize, String> {
    let out = work.join("public");
    pipeline::build(&BuildOptions { output: Some(out.clone()), force: false, ..opts.clone() }).map_err(|e| format!("サイトを生成できません: {e}"))?;
    let file = out.join(page);
    let count = volumes(&out);
    if !file.exists() {
        return Err(match count {
            0 => "その分野・都道府県の事例はまだありません（事例集は事例が1件以上あるときに作られます）。".into(),
            n => format!("この事例集は全{n}分冊です。--volume には 1 から {n} までの番号を指定してください（第{volume}分冊はありません）。"),
        });
    }
    let pdf_abs = if pdf.is_absolute() { pdf.to_path_buf() } else { std::env::current_dir().map_err(|e| e.to_string())?.join(pdf) };
    let url = format!("file://{}", crate::urls::encode_path(&file.to_string_lossy()));
    let mut cmd = Command::new(chromium);
    cmd.args(["--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--no-pdf-header-footer"]);
    // Chromium refuses to start its sandbox as root (containers, CI).
    if unsafe { libc::geteuid() } == 0 {
        cmd.arg("--no-sandbox");
    }
    cmd.arg(format!("--user-data-dir={}", work.join("chromium").display()));
    cmd.arg(format!("--print-to-pdf={}", pdf_abs.display())).arg(&url);
    let run = cmd.output().map_err(|e| format!("{} を起動できません: {e}", chromium.display()))?;
    let written = std::fs::read(&pdf_abs).map(|b| b.starts_with(b"%PDF")).unwrap_or(false);
    if !written {
        return Err(format!(
            "Chromium で PDF を作れませんでした（{}）。ブラウザで {} を開き、「印刷」から「PDF に保存」を選んでも作れます。\n{}",
            run.status,
            file.display(),
            String::from_utf8_lossy(&run.stderr).lines().rev().take(3).collect::<Vec<_>>().join("\n")
        ));
    }
    Ok(count)
}

/// `KYOSO_CHROMIUM`, else the first of [`CHROMIUM`] on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KYOSO_CHROMIUM") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    CHROMIUM.iter().flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name))).find(|p| p.is_file())
}
