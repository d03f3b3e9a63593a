//! The project's own documents stay true to the code: the clerk's guide
//! (docs/HUONG-DAN.md) explains every finding id the tool can give, and the
//! README points only at files inside the repository.
//!
//! The ids are taken from the sources, not listed here: every id of
//! `Issue::id` in src/read/issues.rs, every `RuleRef::Reading("…")` id
//! elsewhere in src/ (outside tests), and every rule id of the built-in
//! schema (the files schemas/tonghop.toml includes).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::util::root;

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The quoted snake_case words of a piece of Rust source.
fn quoted_ids(text: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r#""([a-z][a-z0-9_]*)""#).expect("regex");
    re.captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// The ids `Issue::id` returns: the quoted words between `fn id` and the
/// next function.
fn issue_ids() -> BTreeSet<String> {
    let src = read(&root().join("src/read/issues.rs"));
    let start = src.find("pub fn id(&self)").expect("Issue::id in src/read/issues.rs");
    let body = &src[start..];
    let end = body[1..].find("pub fn ").map_or(body.len(), |e| e + 1);
    quoted_ids(&body[..end])
}

/// `RuleRef::Reading("…")` ids raised anywhere in src/, tests left out
/// (a file's `#[cfg(test)]` part, and `tests.rs` files).
fn reading_ids_elsewhere() -> BTreeSet<String> {
    let re = regex::Regex::new(r#"RuleRef::Reading\("([a-z][a-z0-9_]*)"\)"#).expect("regex");
    let mut out = BTreeSet::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") && !path.ends_with("tests.rs") {
                let text = read(&path);
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                out.extend(re.captures_iter(code).map(|c| c[1].to_string()));
            }
        }
    }
    out
}

/// The rule ids of the built-in schema: `[[rule]] id` in every file
/// schemas/tonghop.toml includes.
fn rule_ids() -> BTreeSet<String> {
    let dir = root().join("schemas");
    let main: toml::Table = read(&dir.join("tonghop.toml")).parse().expect("schemas/tonghop.toml");
    let includes = main.get("include").and_then(|v| v.as_array()).expect("include in schemas/tonghop.toml");
    let mut out = BTreeSet::new();
    for file in includes.iter().filter_map(|f| f.as_str()) {
        let part: toml::Table = read(&dir.join(file)).parse().unwrap_or_else(|e| panic!("{file}: {e}"));
        for rule in part.get("rule").and_then(|r| r.as_array()).into_iter().flatten() {
            out.extend(rule.get("id").and_then(|i| i.as_str()).map(str::to_string));
        }
    }
    out
}

/// The ids missing from a document, each looked for as `id` (in backticks).
fn missing_from(doc: &str, ids: &BTreeSet<String>) -> Vec<String> {
    ids.iter().filter(|id| !doc.contains(&format!("`{id}`"))).cloned().collect()
}

#[test]
fn the_guide_explains_every_finding_id() {
    let guide = read(&root().join("docs/HUONG-DAN.md"));
    let reading: BTreeSet<String> = issue_ids().into_iter().chain(reading_ids_elsewhere()).collect();
    let rules = rule_ids();
    // Guards against a source layout the extraction no longer understands:
    // then the lists would be empty and the test would pass for nothing.
    assert!(reading.len() >= 40, "only {} reading ids found: {reading:?}", reading.len());
    assert!(reading.contains("thieu_so") && reading.contains("o_gop"), "{reading:?}");
    assert!(rules.len() >= 20 && rules.contains("san_luong_khop"), "only {} rule ids found: {rules:?}", rules.len());

    let missing = missing_from(&guide, &reading);
    assert!(missing.is_empty(), "docs/HUONG-DAN.md does not explain these reading findings: {missing:?}");
    let missing = missing_from(&guide, &rules);
    assert!(missing.is_empty(), "docs/HUONG-DAN.md does not explain these rules of the built-in schema: {missing:?}");
}

#[test]
fn the_contract_lists_every_finding_id() {
    let contract = read(&root().join("docs/CONTRACT.md"));
    let ids: BTreeSet<String> = issue_ids().into_iter().chain(reading_ids_elsewhere()).chain(rule_ids()).collect();
    let missing = missing_from(&contract, &ids);
    assert!(missing.is_empty(), "docs/CONTRACT.md does not list these finding ids: {missing:?}");
}

#[test]
fn the_readme_points_only_inside_the_repository() {
    let readme = read(&root().join("README.md"));
    for outside in ["../shared", "shared/seed", "/work/"] {
        assert!(!readme.contains(outside), "README.md mentions {outside:?}, outside the repository");
    }
    // Every relative link of the README and of docs/ leads to a file.
    let link = regex::Regex::new(r"\]\(([^)#\s]+)(?:#[^)]*)?\)").expect("regex");
    let mut docs: Vec<_> = fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.push(root().join("README.md"));
    for doc in docs {
        let text = read(&doc);
        let dir = doc.parent().expect("parent");
        for c in link.captures_iter(&text) {
            let target = &c[1];
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            assert!(dir.join(target).exists(), "{} links to {target}, which does not exist", doc.display());
        }
    }
}
