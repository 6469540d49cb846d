//! The sources the scenarios and the documentation cite are listed in `docs/sources.md`, and
//! no file of the repository points at a place outside it.
//!
//! A citation is `src N`, a list `src N, M` or `src N/M`, or a range `src N–M` (en dash) or
//! `src N-M`. An entry of `docs/sources.md` is a line that starts with `N. `.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (recursively) whose name ends with `.ext`, sorted.
fn files_with_extension(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_with_extension(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The path of `path` relative to the repository, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Reads a number at the start of `chars`; returns it and how many chars it took.
fn number(chars: &[char]) -> Option<(u32, usize)> {
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    let text: String = chars[..digits].iter().collect();
    text.parse().ok().map(|n| (n, digits))
}

/// How many spaces start `chars`.
fn spaces(chars: &[char]) -> usize {
    chars.iter().take_while(|c| **c == ' ').count()
}

/// The source numbers one line cites, ranges expanded; an error for a range that runs
/// backwards or is implausibly long.
fn cited_numbers(line: &str) -> Result<Vec<u32>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 4 <= chars.len() {
        let at_word_start = i == 0 || !chars[i - 1].is_alphanumeric();
        if !(at_word_start && chars[i..i + 4] == ['s', 'r', 'c', ' ']) {
            i += 1;
            continue;
        }
        let mut j = i + 4;
        j += spaces(&chars[j..]);
        let Some((first, len)) = number(&chars[j..]) else {
            i += 4;
            continue;
        };
        found.push(first);
        j += len;
        let mut last = first;
        loop {
            let k = j + spaces(&chars[j..]);
            let Some(&sep) = chars.get(k) else { break };
            let after = k + 1 + spaces(&chars[k + 1..]);
            let Some((n, len)) = number(&chars[after..]) else {
                break;
            };
            match sep {
                ',' | '/' => found.push(n),
                '–' | '-' => {
                    if n < last || n - last > 200 {
                        return Err(format!(
                            "the range src {last}–{n} is not a range of sources"
                        ));
                    }
                    found.extend(last + 1..=n);
                }
                _ => break,
            }
            last = n;
            j = after + len;
        }
        i = j;
    }
    Ok(found)
}

/// The numbers of the entries of `docs/sources.md`: lines that start with `N. `.
fn listed_sources() -> BTreeSet<u32> {
    let text =
        std::fs::read_to_string(root().join("docs/sources.md")).expect("docs/sources.md exists");
    text.lines()
        .filter_map(|line| {
            let (n, rest) = line.split_once(". ")?;
            let all_digits = !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
            if !all_digits || rest.trim().is_empty() {
                return None;
            }
            n.parse().ok()
        })
        .collect()
}

#[test]
fn the_citation_parser_reads_lists_and_ranges() {
    assert_eq!(cited_numbers("# src 20: Dostyk"), Ok(vec![20]));
    assert_eq!(
        cited_numbers("(src 70, 69: test trains 41-45 FEU)"),
        Ok(vec![70, 69])
    );
    assert_eq!(
        cited_numbers("src 97–99 and src 64, 95"),
        Ok(vec![97, 98, 99, 64, 95])
    );
    assert_eq!(cited_numbers("src 1-3; src 7/6"), Ok(vec![1, 2, 3, 7, 6]));
    assert_eq!(cited_numbers("src 65, as alat"), Ok(vec![65]));
    assert_eq!(
        cited_numbers("\"src N\" refers to the list; xsrc 5"),
        Ok(vec![])
    );
    assert!(cited_numbers("src 9–2").is_err());
}

#[test]
fn every_source_cited_in_the_scenarios_is_in_docs_sources() {
    let listed = listed_sources();
    assert!(
        listed.len() >= 50,
        "docs/sources.md lists only {} entries (lines starting with `N. `)",
        listed.len()
    );
    let mut files = Vec::new();
    files_with_extension(&root().join("scenarios"), "toml", &mut files);
    let mut docs = Vec::new();
    files_with_extension(&root().join("docs"), "md", &mut docs);
    files.extend(
        docs.into_iter()
            .filter(|p| p.file_name().is_none_or(|n| n != "sources.md")),
    );
    let mut problems = Vec::new();
    let mut citations = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable text file");
        for (i, line) in text.lines().enumerate() {
            match cited_numbers(line) {
                Ok(numbers) => {
                    citations += numbers.len();
                    for n in numbers.into_iter().filter(|n| !listed.contains(n)) {
                        problems.push(format!(
                            "{}:{}: cites src {n}, but docs/sources.md has no entry `{n}. `",
                            shown(file),
                            i + 1
                        ));
                    }
                }
                Err(e) => problems.push(format!("{}:{}: {e}", shown(file), i + 1)),
            }
        }
    }
    assert!(
        citations > 100,
        "only {citations} citations found: is the parser broken?"
    );
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// The text files the rule below applies to: every tracked file of the code, scenarios,
/// tests and documentation (every such file there when git cannot say which are tracked).
fn published_text_files() -> Vec<PathBuf> {
    let places = [
        "scenarios",
        "docs",
        "src",
        "tests",
        "benches",
        ".ci",
        "README.md",
        "CHANGELOG.md",
        "ARCHITECTURE.md",
        "Cargo.toml",
    ];
    let tracked = std::process::Command::new("git")
        .arg("-C")
        .arg(root())
        .args(["ls-files", "-z", "--"])
        .args(places)
        .output()
        .ok()
        .filter(|o| o.status.success() && !o.stdout.is_empty());
    if let Some(out) = tracked {
        return String::from_utf8_lossy(&out.stdout)
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| root().join(p))
            .collect();
    }
    let mut files = Vec::new();
    for place in places {
        let path = root().join(place);
        if path.is_dir() {
            for extension in ["toml", "md", "rs", "sh"] {
                files_with_extension(&path, extension, &mut files);
            }
        } else if path.is_file() {
            files.push(path);
        }
    }
    files
}

#[test]
fn no_file_names_a_path_outside_the_repository() {
    // Spelled in pieces, so that this file does not name them itself.
    let forbidden = [
        concat!("/", "work", "/"),
        concat!("/", "tmp", "/"),
        concat!("..", "/", "shared"),
        concat!("corridor", "-", "facts"),
    ];
    let files = published_text_files();
    assert!(
        files.iter().any(|f| f.ends_with("README.md")),
        "README.md is among the files checked"
    );
    let mut problems = Vec::new();
    for file in &files {
        // Binary files (none today) are not text to check.
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            for word in forbidden.iter().filter(|w| line.contains(*w)) {
                problems.push(format!(
                    "{}:{}: names `{word}`, a place outside the repository: {}",
                    shown(file),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}
