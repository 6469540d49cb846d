//! The layer rule of ARCHITECTURE.md: the library's modules stand in one order, lowest
//! first, and a module uses only modules before it. This test reads every `crate::` path in
//! the code under `src/` (comments and unit-test modules aside) and fails on any that
//! points up or sideways.

use std::path::{Path, PathBuf};

/// The layers, lowest first. `cli` is the command line (`src/main.rs`, `src/cli/`).
const LAYERS: &[&str] = &[
    "kernel", "random", "policy", "model", "scenario", "stats", "runner", "study", "report", "cli",
];

/// The layer a source file belongs to: the first component of its path under `src/`.
fn layer_of(relative: &Path) -> Option<&'static str> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    let name = if name == "main" { "cli" } else { name };
    LAYERS.iter().copied().find(|l| *l == name)
}

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The files declared as unit-test modules (`#[cfg(test)] mod x;`), which may build their
/// fixtures with higher layers (a model from TOML through `scenario`).
fn test_only_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            if pair[0] == "#[cfg(test)]" {
                if let Some(name) = pair[1]
                    .strip_prefix("mod ")
                    .and_then(|r| r.strip_suffix(';'))
                {
                    let dir = file.parent().expect("a file has a folder");
                    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                    let base = if matches!(stem, "mod" | "lib" | "main") {
                        dir.to_path_buf()
                    } else {
                        dir.join(stem)
                    };
                    out.push(base.join(format!("{name}.rs")));
                    out.push(base.join(name).join("mod.rs"));
                }
            }
        }
    }
    out
}

/// Every `crate::LAYER` a file's code names, with its line number: comments, and the
/// unit-test module a file ends with, left out.
fn arrows(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim();
        if code == "#[cfg(test)]"
            && lines
                .get(i + 1)
                .is_some_and(|next| next.trim().starts_with("mod ") && next.trim().ends_with('{'))
        {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        let code = code.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            }
        }
        // `use crate::{a, b::c}` names several modules at once.
        if let Some(group) = code.find("crate::{") {
            for part in code[group + "crate::{".len()..].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push((i + 1, name));
                }
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let tests_only = test_only_files(&files);
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let in_test_module = tests_only.iter().any(|t| {
            file == t
                || t.file_name().is_some_and(|n| n == "mod.rs")
                    && file.starts_with(t.parent().unwrap_or(t))
        });
        if relative == Path::new("lib.rs") || in_test_module {
            continue;
        }
        let Some(layer) = layer_of(relative) else {
            wrong.push(format!(
                "src/{}: belongs to no layer; give it a place in ARCHITECTURE.md and in this test",
                relative.display()
            ));
            continue;
        };
        let own = rank(layer).expect("a listed layer");
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        for (line, name) in arrows(&text) {
            // Items of the crate root (`crate::HOURS_PER_YEAR`) belong to no layer.
            if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                continue;
            }
            match rank(&name) {
                Some(r) if r < own || name == layer => {}
                Some(_) => wrong.push(format!(
                    "src/{}:{line}: `{layer}` uses `{name}`, which does not come before it",
                    relative.display()
                )),
                None => wrong.push(format!(
                    "src/{}:{line}: `crate::{name}` is in no layer",
                    relative.display()
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows against the layer order {}:\n{}",
        LAYERS.join(" → "),
        wrong.join("\n")
    );
}

#[test]
fn the_layer_reader_sees_single_grouped_and_inline_paths_and_skips_comments_and_tests() {
    let text = "use crate::kernel::SimTime;\nuse crate::{model, random::Dist};\n\
                // crate::report in a comment\nlet x = crate::runner::interrupted();\n\
                #[cfg(test)]\nmod tests {\n    use crate::scenario::load_str;\n}\n";
    let names: Vec<String> = arrows(text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["kernel", "model", "random", "runner"]);
}
