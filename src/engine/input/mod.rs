//! Reads input files into the one [`Model`]: detects each file's format, decodes its
//! text (UTF-8 with or without BOM, UTF-16 as PowerShell writes it), and hands it to its
//! adapter. One broken file yields an error and does not hide the others.

mod decode;

pub use decode::decode as decode_text;
pub mod hcl;
mod plan;
pub mod schema;

use sha2::{Digest, Sha256};

use super::model::{FileId, FileKind, InputError, InputFile, Model};
use super::SourceFile;

/// Largest file read, in bytes. A 50k-resource plan is about 150 MB; beyond this a browser
/// tab runs out of memory before we could say anything useful.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

/// Deepest nesting accepted in any input (JSON's parser stops at 128 on its own; HCL and
/// our own walkers check against this).
pub const MAX_DEPTH: usize = 128;

/// A decoded file ready for its adapter.
pub struct Text<'a> {
    pub id: FileId,
    pub path: &'a str,
    pub text: &'a str,
}

pub fn load(files: &[SourceFile]) -> Model {
    finish(decode_all(files.iter().map(|f| {
        (
            f.path.clone(),
            checked(&f.bytes).and_then(decode::decode),
            digest(&f.bytes),
        )
    })))
}

/// As [`load`], taking the files: their text is their bytes, not a copy (the CLI and the
/// page's worker hand over what they read; a plan no longer sits in memory twice).
pub fn load_owned(files: Vec<SourceFile>) -> Model {
    finish(decode_all(files.into_iter().map(|f| {
        let sha256 = digest(&f.bytes);
        let text = match checked(&f.bytes) {
            Ok(_) => decode::decode_owned(f.bytes),
            Err(e) => Err(e),
        };
        (f.path, text, sha256)
    })))
}

fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The bytes, when planlens reads a file of their size.
fn checked(bytes: &[u8]) -> Result<&[u8], String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} MB; planlens reads files up to {} MB",
            bytes.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

fn finish((mut model, json_files): (Model, Vec<FileId>)) -> Model {
    for id in json_files {
        plan::load(&mut model, id);
    }
    hcl::load(&mut model);
    model.index();
    model
}

/// The module directories the given configuration calls whose files were not given (local
/// paths such as `../../`, and what `.terraform/modules/modules.json` records). The CLI reads
/// them from disk and asks again, as `terraform init` follows module calls.
pub fn wanted_module_dirs(files: &[SourceFile]) -> Vec<String> {
    let (mut model, _) = decode_all(files.iter().map(|f| {
        (
            f.path.clone(),
            checked(&f.bytes).and_then(decode::decode),
            String::new(),
        )
    }));
    hcl::wanted_dirs(&mut model)
}

/// Every file (path, text or why there is none, SHA-256) recognised; the plan and state
/// files' ids, for their adapter.
fn decode_all(
    files: impl Iterator<Item = (String, Result<String, String>, String)>,
) -> (Model, Vec<FileId>) {
    let mut model = Model::default();
    let mut json_files = Vec::new();
    for (path, text, sha256) in files {
        let id = model.files.len();
        match text {
            Ok(text) => {
                let kind = detect(&path, &text);
                model.files.push(InputFile::new(
                    path.clone(),
                    kind.as_ref().ok().copied(),
                    sha256,
                    text,
                ));
                match kind {
                    Ok(FileKind::Plan | FileKind::State) => json_files.push(id),
                    Ok(_) => {}
                    Err(message) => model.errors.push(InputError {
                        file: path.clone(),
                        line: None,
                        column: None,
                        message,
                        excerpt: None,
                    }),
                }
            }
            Err(message) => {
                model
                    .files
                    .push(InputFile::new(path.clone(), None, sha256, String::new()));
                model.errors.push(InputError {
                    file: path.clone(),
                    line: None,
                    column: None,
                    message,
                    excerpt: None,
                });
            }
        }
    }
    (model, json_files)
}

/// Decides what a file is, from its name and then its content. The error says what the
/// file looked like and what was expected.
pub fn detect(path: &str, text: &str) -> Result<FileKind, String> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".tfvars.json") || lower.ends_with(".tfvars") {
        return Ok(FileKind::Tfvars);
    }
    if lower.ends_with(".tf.json") {
        return Ok(FileKind::Tfjson);
    }
    if lower.ends_with(".tf") {
        return Ok(FileKind::Hcl);
    }
    if lower.ends_with(".toml") {
        return Ok(FileKind::Config);
    }
    if lower.ends_with(".terraform/modules/modules.json") {
        return Ok(FileKind::Modules);
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return detect_json(trimmed);
    }
    if trimmed.is_empty() {
        return Err("the file is empty; expected Terraform plan JSON (terraform show -json), state JSON, or .tf files".into());
    }
    if looks_like_hcl(trimmed) {
        return Ok(FileKind::Hcl);
    }
    let first = trimmed.lines().next().unwrap_or("");
    Err(format!(
        "this looks like neither JSON nor Terraform (it starts with {:?}); expected plan JSON from `terraform show -json tfplan`, state JSON, .tf or .tf.json",
        first.chars().take(40).collect::<String>()
    ))
}

/// Top-level keys of a JSON object, read cheaply: enough to tell plan, state and
/// Terraform JSON apart without parsing the whole file twice.
fn detect_json(text: &str) -> Result<FileKind, String> {
    // The scan stops at the first key that decides the format: a plan names
    // `planned_values` within its first few hundred bytes, and this runs before every parse.
    let keys = top_level_keys(text, |k| {
        k == "planned_values" || k == "resource_changes" || k == "Modules" || TF_JSON.contains(&k)
    });
    let has = |k: &str| keys.iter().any(|x| x == k);
    if has("planned_values") || has("resource_changes") {
        return Ok(FileKind::Plan);
    }
    if has("Modules") {
        return Ok(FileKind::Modules);
    }
    if has("values") && has("format_version") || has("values") && has("terraform_version") {
        return Ok(FileKind::State);
    }
    if keys.iter().any(|k| TF_JSON.contains(&k.as_str())) {
        return Ok(FileKind::Tfjson);
    }
    if has("version") && has("resources") && has("serial") {
        return Err("this is a raw state file (terraform.tfstate); run `terraform show -json` on it and load that output instead".into());
    }
    if keys.is_empty() {
        return Err("this JSON has no top-level object keys; expected plan JSON (format_version, planned_values, resource_changes), state JSON (values.root_module) or Terraform JSON (resource, variable, …)".into());
    }
    Err(format!(
        "JSON with top-level keys {}; expected plan JSON (format_version, planned_values, resource_changes), state JSON (values.root_module) or Terraform JSON (resource, variable, …)",
        keys.iter().take(8).map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ")
    ))
}

/// Top-level keys that make a JSON file Terraform JSON syntax.
const TF_JSON: [&str; 9] = [
    "resource",
    "data",
    "variable",
    "module",
    "provider",
    "terraform",
    "locals",
    "output",
    "moved",
];

/// The keys at depth 1 of a JSON object, scanning without building values, up to and
/// including the first key for which `decisive` holds. Stops at the first syntax problem;
/// the real parse reports it properly.
fn top_level_keys(text: &str, decisive: impl Fn(&str) -> bool) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut expect_key = false;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1 && bytes[i] == b'{';
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 1 && expect_key {
                    if let Some(k) = text.get(start..i.min(text.len())) {
                        keys.push(k.to_string());
                        if decisive(k) {
                            return keys;
                        }
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

fn looks_like_hcl(text: &str) -> bool {
    text.lines().map(str::trim).any(|l| {
        [
            "resource ",
            "provider ",
            "variable ",
            "module ",
            "data ",
            "locals",
            "terraform",
            "output ",
        ]
        .iter()
        .any(|k| l.starts_with(k))
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An error at a byte offset of a file, with line, column and the line's text.
pub(crate) fn error_at(file: &InputFile, offset: usize, message: impl Into<String>) -> InputError {
    let (line, column) = file.line_col(offset.min(file.text.len()) as u32);
    InputError {
        file: file.path.clone(),
        line: Some(line),
        column: Some(column),
        message: message.into(),
        excerpt: file.line_text(line).map(excerpt),
    }
}

/// An error at a 1-based line and column.
pub(crate) fn error_at_line(
    file: &InputFile,
    line: u32,
    column: u32,
    message: impl Into<String>,
) -> InputError {
    InputError {
        file: file.path.clone(),
        line: Some(line),
        column: Some(column),
        message: message.into(),
        excerpt: file.line_text(line).map(excerpt),
    }
}

/// At most 120 characters of a source line.
fn excerpt(line: &str) -> String {
    let mut s: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_name_then_content() {
        assert_eq!(detect("main.tf", ""), Ok(FileKind::Hcl));
        assert_eq!(detect("x.tf.json", "{}"), Ok(FileKind::Tfjson));
        assert_eq!(detect("prod.tfvars", ""), Ok(FileKind::Tfvars));
        assert_eq!(
            detect(
                "plan.json",
                r#"{"format_version":"1.2","planned_values":{}}"#
            ),
            Ok(FileKind::Plan)
        );
        assert_eq!(
            detect(
                "s.json",
                r#"{"format_version":"1.0","values":{"root_module":{}}}"#
            ),
            Ok(FileKind::State)
        );
        assert_eq!(
            detect("pasted", r#"{"resource":{"aws_s3_bucket":{}}}"#),
            Ok(FileKind::Tfjson)
        );
        assert_eq!(
            detect("pasted", "resource \"aws_s3_bucket\" \"b\" {}"),
            Ok(FileKind::Hcl)
        );
    }

    #[test]
    fn unknown_json_names_what_it_saw() {
        let err = detect("x.json", r#"{"name": "x", "items": {"a": 1}}"#).unwrap_err();
        assert!(err.contains("\"name\", \"items\""), "{err}");
        let err = detect("x.txt", "hello world").unwrap_err();
        assert!(err.contains("hello world"), "{err}");
    }
}
