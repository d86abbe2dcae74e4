//! The fixed vocabularies of the content model: 分野, 都道府県, actor kinds, business
//! relations, event kinds. One place, so validation, term pages, search facets and the
//! get-listed form all agree.

/// 分野 (service fields) in the order the platform presents them.
pub const DOMAINS: &[&str] = &[
    "掃除", "洗濯", "調理", "買い物", "見守り", "移動", "住まい", "居場所", "食事", "健康", "医療",
    "介護", "学び", "文化・芸術", "多世代交流", "スポーツ・レクリエーション", "まちづくり",
    "ボランティア・地域活動", "就労", "後継者", "防災・防犯", "農地", "環境保全",
];

/// Spellings editors really write, accepted with a warning and normalised.
pub const DOMAIN_VARIANTS: &[(&str, &str)] = &[
    ("買物", "買い物"),
    ("交通", "移動"),
    ("移動(交通)", "移動"),
    ("移動（交通）", "移動"),
    ("移動・交通", "移動"),
    ("文化芸術", "文化・芸術"),
    ("スポーツ", "スポーツ・レクリエーション"),
    ("レクリエーション", "スポーツ・レクリエーション"),
    ("ボランティア", "ボランティア・地域活動"),
    ("地域活動", "ボランティア・地域活動"),
    ("防災", "防災・防犯"),
    ("防犯", "防災・防犯"),
    ("住居", "住まい"),
    ("配食", "食事"),
];

/// The 47 prefectures in JIS X 0401 order.
pub const PREFECTURES: &[&str] = &[
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
];

/// Used for actors that work across the country and for the national platform.
pub const NATIONWIDE: &str = "全国";

pub const ACTOR_KINDS: &[&str] = &[
    "民間企業", "NPO法人", "社会福祉法人", "社会福祉協議会", "協同組合", "農村RMO", "地域運営組織",
    "住民主体の活動団体", "ボランティア団体", "一般社団法人", "行政機関", "全国規模の団体", "その他",
];

/// `business_relation`: (value in front matter, Japanese label).
pub const RELATIONS: &[(&str, &str)] = &[
    ("care-extension", "介護系本業の延長"),
    ("customer-touchpoint", "介護以外の本業の顧客接点を活用"),
    ("csr", "本業と無関係な社会貢献"),
];

pub const EVENT_KINDS: &[&str] = &["交流会", "ガバメントピッチ", "研修", "シンポジウム", "その他"];

/// `scale` of an actor: (value, Japanese label).
pub const SCALES: &[(&str, &str)] = &[("national", "全国"), ("regional", "広域"), ("local", "地域")];

/// The three construction steps of a prefectural platform, for `steps:` on cases.
pub const STEPS: &[(u8, &str)] = &[
    (1, "ステップ1 現状把握と関係者の巻き込み"),
    (2, "ステップ2 対話の場づくりとマッチング"),
    (3, "ステップ3 事業化と横展開"),
];

pub fn relation_label(value: &str) -> Option<&'static str> {
    RELATIONS.iter().find(|(v, _)| *v == value).map(|(_, l)| *l)
}

pub fn scale_label(value: &str) -> Option<&'static str> {
    SCALES.iter().find(|(v, _)| *v == value).map(|(_, l)| *l)
}

/// Position of a prefecture in JIS order, for sorting; 全国 and unknown names sort last.
pub fn prefecture_order(name: &str) -> usize {
    PREFECTURES.iter().position(|p| *p == name).unwrap_or(PREFECTURES.len())
}

/// Position of a 分野 in the vocabulary, for sorting; site-added terms sort after.
pub fn domain_order(domains: &[String], name: &str) -> usize {
    domains.iter().position(|d| d == name).unwrap_or(domains.len())
}

/// A prefecture written without its suffix (`埼玉`) is a common slip; find the full name.
pub fn complete_prefecture(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return None;
    }
    PREFECTURES.iter().copied().find(|p| {
        p.strip_suffix(['県', '府', '都']).unwrap_or(p) == name || (name == "北海" && *p == "北海道")
    })
}

/// The values a vocabulary field accepts with what readers see for each, as (value,
/// label): the label is the Japanese of a coded value (`national` → 全国), else the value.
pub fn options(v: crate::schema::Vocab, domains: &[String]) -> Vec<(String, String)> {
    values(v, domains)
        .into_iter()
        .map(|value| {
            let label = relation_label(&value).or_else(|| scale_label(&value)).map_or_else(|| value.clone(), str::to_string);
            (value, label)
        })
        .collect()
}

/// The values a vocabulary field accepts, as written in front matter.
pub fn values(v: crate::schema::Vocab, domains: &[String]) -> Vec<String> {
    use crate::schema::Vocab;
    match v {
        Vocab::Domain => domains.to_vec(),
        Vocab::Prefecture => PREFECTURES.iter().map(|s| s.to_string()).collect(),
        Vocab::PrefectureOrNation => PREFECTURES.iter().chain(&[NATIONWIDE]).map(|s| s.to_string()).collect(),
        Vocab::ActorKind => ACTOR_KINDS.iter().map(|s| s.to_string()).collect(),
        Vocab::Relation => RELATIONS.iter().map(|(v, _)| v.to_string()).collect(),
        Vocab::EventKind => EVENT_KINDS.iter().map(|s| s.to_string()).collect(),
        Vocab::Scale => SCALES.iter().map(|(v, _)| v.to_string()).collect(),
    }
}
