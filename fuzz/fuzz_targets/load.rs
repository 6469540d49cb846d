//! The loader on any bytes: it returns a scenario or located errors, and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(diags) = corridor::scenario::load_str(Path::new("fuzz.toml"), text) {
            // Rendering an error (line, column, caret) must not panic either.
            let _ = diags.to_string();
        }
    }
});
