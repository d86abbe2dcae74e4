//! The content model as data: which fields each collection has, their types, vocabularies
//! and Japanese labels. Validation, `kyoso new` and the get-listed form are all driven by
//! this one table, so they cannot drift apart.

use serde::Serialize;

/// The collections of the content model, one folder each under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Collection {
    Case,
    Actor,
    Guide,
    Chapter,
    Event,
    Policy,
    News,
    Page,
}

impl Collection {
    pub const ALL: [Collection; 8] = [
        Collection::Case,
        Collection::Actor,
        Collection::Guide,
        Collection::Chapter,
        Collection::Event,
        Collection::Policy,
        Collection::News,
        Collection::Page,
    ];

    /// The folder under `content/` (chapters live inside `guides/<guide>/`).
    pub fn folder(self) -> &'static str {
        match self {
            Collection::Case => "cases",
            Collection::Actor => "actors",
            Collection::Guide | Collection::Chapter => "guides",
            Collection::Event => "events",
            Collection::Policy => "policies",
            Collection::News => "news",
            Collection::Page => "pages",
        }
    }

    /// The name editors use in the CLI (`kyoso new case`).
    pub fn name(self) -> &'static str {
        match self {
            Collection::Case => "case",
            Collection::Actor => "actor",
            Collection::Guide => "guide",
            Collection::Chapter => "chapter",
            Collection::Event => "event",
            Collection::Policy => "policy",
            Collection::News => "news",
            Collection::Page => "page",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Collection::Case => "取り組み事例",
            Collection::Actor => "多様な主体",
            Collection::Guide => "ガイドブック",
            Collection::Chapter => "ガイドブックの章",
            Collection::Event => "イベント・研修",
            Collection::Policy => "施策・予算",
            Collection::News => "お知らせ",
            Collection::Page => "ページ",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.folder() == folder && *c != Collection::Chapter)
    }

    pub fn from_name(name: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.name() == name || c.folder() == name)
    }
}

/// A closed vocabulary a field's values must come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Vocab {
    Domain,
    Prefecture,
    /// A prefecture or 全国.
    PrefectureOrNation,
    ActorKind,
    Relation,
    EventKind,
    Scale,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "vocab")]
pub enum Ty {
    Text,
    /// Long free text (a textarea in forms).
    LongText,
    Date,
    DateTime,
    Url,
    Bool,
    Int,
    Texts,
    Vocab(Vocab),
    Vocabs(Vocab),
    Location,
    Steps,
    DateOrYear,
    Images,
    /// Internal memo: accepted in any shape, never output.
    Private,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldSpec {
    pub name: &'static str,
    #[serde(flatten)]
    pub ty: Ty,
    pub required: bool,
    pub label: &'static str,
    pub help: &'static str,
}

const fn f(name: &'static str, ty: Ty, required: bool, label: &'static str, help: &'static str) -> FieldSpec {
    FieldSpec { name, ty, required, label, help }
}

/// Fields every collection accepts.
pub const COMMON: &[FieldSpec] = &[
    f("title", Ty::Text, true, "題名", "ページの題名（事例名・団体名など）"),
    f("summary", Ty::LongText, false, "概要", "一覧や検索結果に出る1〜2文の紹介"),
    f("date", Ty::Date, false, "掲載日", "2024-05-01 の形で書きます"),
    f("updated", Ty::Date, false, "更新日", "内容を更新した日（2024-05-01 の形）"),
    f("tags", Ty::Texts, false, "タグ", "自由なキーワードのリスト"),
    f("draft", Ty::Bool, false, "下書き", "true にすると公開されません"),
    f("private", Ty::Private, false, "内部メモ", "担当者の連絡先など。サイトには一切出ません"),
    f("publish_date", Ty::DateTime, false, "公開日時", "この日時になるまで公開されません"),
    f("images", Ty::Images, false, "画像", "画像ファイルのリスト（- src: photo.jpg / alt: 説明）"),
    f("aliases", Ty::Texts, false, "旧アドレス", "移転前のアドレス（そこから新しいページへ案内します）"),
    f("slug", Ty::Text, false, "アドレス名", "ページのアドレスに使う半角英数字（a-z, 0-9, -）"),
    f("weight", Ty::Int, false, "並び順", "小さいほど先に並びます"),
];

pub const CASE: &[FieldSpec] = &[
    f("prefecture", Ty::Vocab(Vocab::Prefecture), true, "都道府県", "例: 埼玉県"),
    f("municipality", Ty::Text, false, "市区町村", "例: 川越市（都道府県全域の取り組みなら空欄）"),
    f("area", Ty::Text, false, "地区", "第2層・日常生活圏域の名前"),
    f("actors", Ty::Texts, false, "関わる主体", "content/actors/ にある主体のファイル名（.md を除く）"),
    f("partners", Ty::Texts, false, "その他の参加者", "行政担当課、SC、協議体など"),
    f("domains", Ty::Vocabs(Vocab::Domain), true, "分野", "分野の一覧から選びます（複数可）"),
    f("business_relation", Ty::Vocab(Vocab::Relation), false, "本業との関わり", "care-extension / customer-touchpoint / csr"),
    f("steps", Ty::Steps, false, "構築ステップ", "この事例が示す都道府県PFの構築ステップ（1, 2, 3）"),
    f("started", Ty::DateOrYear, false, "開始時期", "2019 または 2019-04-01"),
    f("source", Ty::Url, false, "出典", "https:// で始まるアドレス"),
    f("video", Ty::Url, false, "動画", "発表などの動画のアドレス"),
];

pub const ACTOR: &[FieldSpec] = &[
    f("kind", Ty::Vocab(Vocab::ActorKind), true, "種別", "民間企業、NPO法人、社会福祉協議会など"),
    f("core_business", Ty::Text, false, "本業", "主な事業（例: スーパーマーケット）"),
    f("domains", Ty::Vocabs(Vocab::Domain), true, "分野", "協力できる分野（複数可）"),
    f("prefecture", Ty::Vocab(Vocab::PrefectureOrNation), true, "都道府県", "拠点のある都道府県、または 全国"),
    f("municipalities", Ty::Texts, false, "活動する市区町村", "空欄なら都道府県全域"),
    f("address", Ty::Text, false, "所在地", "公開してよい住所"),
    f("location", Ty::Location, false, "位置", "地図用の緯度・経度（lat: 35.9, lon: 139.4）"),
    f("website", Ty::Url, false, "ウェブサイト", "https:// で始まるアドレス"),
    f("contact", Ty::Text, false, "連絡先", "公開してよい窓口のみ"),
    f("registered", Ty::Date, false, "登録日", "2024-05-01 の形"),
    f("scale", Ty::Vocab(Vocab::Scale), false, "活動の規模", "national / regional / local"),
];

pub const GUIDE: &[FieldSpec] = &[
    f("audience", Ty::Text, false, "対象読者", "例: 市町村の担当者、生活支援コーディネーター"),
    f("domains", Ty::Vocabs(Vocab::Domain), false, "分野", "関係する分野"),
];

pub const CHAPTER: &[FieldSpec] = &[];

pub const EVENT: &[FieldSpec] = &[
    f("kind", Ty::Vocab(Vocab::EventKind), true, "種類", "交流会、ガバメントピッチ、研修、シンポジウム、その他"),
    f("start", Ty::DateTime, true, "開始日時", "2026-12-05T13:30:00+09:00 または 2026-12-05 13:30"),
    f("end", Ty::DateTime, false, "終了日時", "開始と同じ形"),
    f("venue", Ty::Text, false, "会場", "会場名と所在地"),
    f("online", Ty::Bool, false, "オンライン開催", "true ならオンライン"),
    f("prefecture", Ty::Vocab(Vocab::PrefectureOrNation), false, "都道府県", "開催する都道府県"),
    f("registration", Ty::Url, false, "申込先", "申し込みページのアドレス"),
    f("video", Ty::Url, false, "アーカイブ動画", "録画のアドレス"),
    f("domains", Ty::Vocabs(Vocab::Domain), false, "分野", "関係する分野"),
];

pub const POLICY: &[FieldSpec] = &[
    f("ministry", Ty::Text, false, "所管", "例: 厚生労働省"),
    f("fiscal_year", Ty::Text, false, "年度", "例: 2025"),
    f("budget", Ty::Text, false, "予算", "例: 地域支援事業交付金の内数"),
    f("url", Ty::Url, false, "詳しい情報", "所管省庁のページのアドレス"),
    f("domains", Ty::Vocabs(Vocab::Domain), false, "分野", "関係する分野"),
];

/// Fields kyoso writes for itself: `kyoso import` records which list and which record of
/// it a file came from, so a later import updates only its own files. Accepted in every
/// collection, never output (like `private`), and not offered to editors by `kyoso new`.
pub const INTERNAL: &[FieldSpec] = &[
    f("import_source", Ty::Private, false, "取り込み元", "この内容を取り込んだ一覧のファイル名（kyoso import が書きます）"),
    f("import_id", Ty::Private, false, "取り込み元の ID", "取り込み元の一覧での行の ID（kyoso import が書きます）"),
];

/// The collection-specific fields (without the common ones).
pub fn fields(collection: Collection) -> &'static [FieldSpec] {
    match collection {
        Collection::Case => CASE,
        Collection::Actor => ACTOR,
        Collection::Guide => GUIDE,
        Collection::Chapter => CHAPTER,
        Collection::Event => EVENT,
        Collection::Policy => POLICY,
        Collection::News | Collection::Page => &[],
    }
}

/// Common and collection fields together, in the order a new file lists them.
pub fn all_fields(collection: Collection) -> impl Iterator<Item = &'static FieldSpec> {
    COMMON[..2].iter().chain(fields(collection)).chain(&COMMON[2..])
}

/// Every field a file of `collection` may have: [`all_fields`] and the [`INTERNAL`] ones.
pub fn accepted_fields(collection: Collection) -> impl Iterator<Item = &'static FieldSpec> {
    all_fields(collection).chain(INTERNAL)
}

pub fn find(collection: Collection, name: &str) -> Option<&'static FieldSpec> {
    all_fields(collection).find(|s| s.name == name)
}
