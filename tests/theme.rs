//! The default theme compiled into the binary is exactly `themes/default/`.

#[test]
fn embedded_theme_matches_the_folder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let on_disk: std::collections::BTreeMap<String, Vec<u8>> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read(e.path()).unwrap()))
        .collect();
    let embedded: std::collections::BTreeMap<String, Vec<u8>> =
        kyoso::theme::EMBEDDED.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
    let missing: Vec<&String> = on_disk.keys().filter(|k| !embedded.contains_key(*k)).collect();
    assert!(missing.is_empty(), "add these to theme::EMBEDDED: {missing:?}");
    assert_eq!(on_disk, embedded);
}
