//! Embeds the web client (`web/` at the workspace root, without its tests) into the crate:
//! writes `$OUT_DIR/web_assets.rs`, a table of `(url path, bytes)`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Folders of `web/` that are not served.
const SKIP: &[&str] = &["tests", "node_modules"];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let web = manifest.join("../../web");
    println!("cargo::rerun-if-changed={}", web.display());
    let mut files = Vec::new();
    collect(&web, &web, &mut files);
    files.sort();
    let mut table = String::from("&[\n");
    for (url, path) in &files {
        writeln!(table, "    ({url:?}, include_bytes!({:?})),", path.display().to_string())
            .expect("writing to a String cannot fail");
    }
    table.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("web_assets.rs"), table).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if dir == root && SKIP.contains(&name.as_str()) {
                continue;
            }
            collect(root, &path, files);
        } else {
            let rel = path.strip_prefix(root).expect("walked below the root");
            let url = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
            let abs = path.canonicalize().expect("a listed file exists");
            files.push((url, abs));
        }
    }
}
