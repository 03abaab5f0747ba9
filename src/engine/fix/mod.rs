//! Fixes: for `.tf` input, the exact edit to the user's own file that removes a finding,
//! labelled safe or unsafe as ruff labels its fixes.
//!
//! - *safe*: the plan updates the resource in place, and clients that already meet the
//!   policy see no change;
//! - *unsafe*: the plan replaces the resource, re-encrypts its data, or changes what clients
//!   can do (a TLS policy that drops old clients, a database no longer public).
//!
//! Whether a change replaces the resource is the provider's answer, not a guess: every fix
//! was planned as a before/after pair with real Terraform and the AWS provider
//! (`tests/fixtures/fixes/evidence/`, read by [`evidence`]).
//!
//! Fixes are pure: they read the model and the source text and return byte ranges. The CLI
//! (`planlens fix`) and the page apply them with [`fix_all`], which re-reviews the result
//! and repeats while fixes that overlapped an applied one are left, as ruff does.

pub mod evidence;
mod layout;
mod remedies;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::model::{FileKind, Model, Origin, Resource};
use super::rules::Finding;
use super::stores::Analysis;
use super::{Config, Options, SourceFile};
pub use layout::TextEdit;
use layout::{apply, BodyAt};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    Safe,
    Unsafe,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// The change that removes a finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub safety: Safety,
    /// What it changes, one sentence.
    pub description: String,
    /// For an unsafe fix: what applying it does ("replaces the database: …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consequence: Option<String>,
    /// What real Terraform planned for this change (`update`, `delete,create`, …), and the
    /// evidence pair it was planned from.
    pub plan: String,
    pub edits: Vec<Edit>,
}

/// One replacement in one input file (byte offsets into the file as read).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Edit {
    pub file: String,
    pub start: u32,
    pub end: u32,
    pub replacement: String,
}

/// Whether fixes may edit a file: the user's own `.tf` (not `.tf.json`, not a module
/// installed under `.terraform/`).
pub fn editable(kind: Option<FileKind>, path: &str) -> bool {
    kind == Some(FileKind::Hcl)
        && path.ends_with(".tf")
        && !path.split('/').any(|p| p == ".terraform")
}

/// Attaches a fix to every finding that has a mechanical one.
pub fn attach(model: &Model, analysis: &Analysis, config: &Config, findings: &mut [Finding]) {
    if !model.files.iter().any(|f| editable(f.kind, &f.path)) {
        return;
    }
    let cx = FixCx::new(model, analysis, config, findings);
    let mut cache: HashMap<(String, Option<String>, Option<String>), Option<Fix>> = HashMap::new();
    for f in findings.iter_mut() {
        // Instances of one block (count, for_each, a module called twice) share its fix.
        let block = f
            .address
            .as_deref()
            .and_then(|a| model.get(a))
            .and_then(|r| cx.block_start(r))
            .map(|(file, at)| format!("{file}:{at}"));
        let key = (
            f.rule.clone(),
            block.or(f.address.clone()),
            f.attribute.clone(),
        );
        let fix = cache
            .entry(key)
            .or_insert_with(|| remedies::fix_for(&cx, f))
            .clone();
        f.fix = fix;
    }
}

/// What a fixer reads: the model, the stores analysis and each file's parsed text.
pub(crate) struct FixCx<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    pub config: &'a Config,
    /// Per file: the parsed body, for `.tf` files only.
    parsed: Vec<std::cell::OnceCell<Option<hcl::edit::structure::Body>>>,
    /// Per (module, category): where ENC001's fix finds or writes the category's key.
    homes: BTreeMap<(String, String), remedies::KeyHome>,
}

impl<'a> FixCx<'a> {
    fn new(
        model: &'a Model,
        analysis: &'a Analysis,
        config: &'a Config,
        findings: &[Finding],
    ) -> FixCx<'a> {
        FixCx {
            model,
            analysis,
            config,
            parsed: model.files.iter().map(|_| Default::default()).collect(),
            homes: remedies::key_homes(model, analysis, findings),
        }
    }

    fn body(&self, file: usize) -> Option<&hcl::edit::structure::Body> {
        let f = self.model.files.get(file)?;
        self.parsed[file]
            .get_or_init(|| {
                editable(f.kind, &f.path)
                    .then(|| hcl::edit::parser::parse_body(&f.text).ok())
                    .flatten()
            })
            .as_ref()
    }

    /// The file index and offset of the block that declares `r`, when it is in a `.tf` file
    /// planlens may edit (not a module installed under `.terraform/`).
    pub fn block_start(&self, r: &Resource) -> Option<(usize, usize)> {
        let Origin::Span(s) = &r.origin else {
            return None;
        };
        self.body(s.file)?;
        Some((s.file, s.start as usize))
    }

    pub fn path(&self, file: usize) -> &str {
        &self.model.files[file].path
    }

    pub fn text(&self, file: usize) -> &str {
        &self.model.files[file].text
    }

    /// The resource's block body in its file.
    pub fn block_of(&self, r: &Resource) -> Option<(usize, BodyAt<'_>)> {
        let (file, at) = self.block_start(r)?;
        let body = self.body(file)?;
        Some((file, find_block(self.text(file), body, at)?))
    }

    /// Runs `ops` on the block of `r` one after another (each on the text the previous one
    /// left) and returns the change as one edit of the original text.
    pub fn edit_block(&self, r: &Resource, ops: &[Op]) -> Option<Edit> {
        let (file, at) = self.block_start(r)?;
        let original = self.text(file);
        let mut text = original.to_string();
        for op in ops {
            let body = hcl::edit::parser::parse_body(&text).ok()?;
            let block = find_block(&text, &body, at)?;
            let edit = op.run(&block)?;
            text = apply(&text, &[edit])?;
        }
        Some(minimal_edit(self.path(file), original, &text))
    }

    /// An edit adding `text` (whole blocks) at the end of `file`, after one blank line.
    pub fn append(&self, file: usize, text: &str) -> Edit {
        let original = self.text(file);
        let sep = if original.is_empty() || original.ends_with("\n\n") {
            ""
        } else if original.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        Edit {
            file: self.path(file).to_string(),
            start: original.len() as u32,
            end: original.len() as u32,
            replacement: format!("{sep}{text}\n"),
        }
    }
}

/// The top-level block of `body` starting at byte `at`.
fn find_block<'t>(
    text: &'t str,
    body: &'t hcl::edit::structure::Body,
    at: usize,
) -> Option<BodyAt<'t>> {
    use hcl::edit::Span as _;
    let block = body
        .blocks()
        .find(|b| b.span().map(|s| s.start) == Some(at))?;
    BodyAt::of_block(text, block)
}

/// `original` → `changed` as one edit: the bytes between their common prefix and suffix,
/// on whole lines.
fn minimal_edit(file: &str, original: &str, changed: &str) -> Edit {
    let prefix = original
        .bytes()
        .zip(changed.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let prefix = original[..prefix].rfind('\n').map_or(0, |p| p + 1);
    let max_suffix = (original.len() - prefix).min(changed.len() - prefix);
    let suffix = original
        .bytes()
        .rev()
        .zip(changed.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    Edit {
        file: file.to_string(),
        start: prefix as u32,
        end: (original.len() - suffix) as u32,
        replacement: changed[prefix..changed.len() - suffix].to_string(),
    }
}

/// One change to a block, by the model's attribute path (`viewer_certificate.0.x`; block
/// indexes count blocks of that name).
pub(crate) enum Op {
    /// Sets an attribute, making the blocks on its way where they are missing.
    Set(String, String),
    /// Replaces the block at the path (its whole text, at zero indentation).
    ReplaceBlock(String, String),
    /// Removes a one-line attribute of the resource's own body.
    Remove(String),
}

impl Op {
    pub fn set(path: &str, value: impl Into<String>) -> Op {
        Op::Set(path.to_string(), value.into())
    }

    fn run(&self, block: &BodyAt) -> Option<TextEdit> {
        match self {
            Op::Set(path, value) => {
                let parts: Vec<&str> = path.split('.').collect();
                let (key, blocks) = parts.split_last()?;
                match descend(*block, blocks)? {
                    Reach::Found(body, _) => Some(body.set(key, value)),
                    Reach::Missing { body, from } => {
                        let rest: Vec<&str> = blocks[from..].chunks(2).map(|c| c[0]).collect();
                        Some(body.add_block(&nested(&rest, key, value)))
                    }
                }
            }
            Op::Remove(key) => block.remove(key),
            Op::ReplaceBlock(path, text) => {
                let parts: Vec<&str> = path.split('.').collect();
                let Reach::Found(_, target) = descend(*block, &parts)? else {
                    return None;
                };
                use hcl::edit::Span as _;
                let span = target?.span()?;
                let indent = {
                    let start = block.text[..span.start].rfind('\n').map_or(0, |p| p + 1);
                    block.text[start..span.start].to_string()
                };
                // The old block's comments stay: the header's on the new header, the others
                // as comment lines at the top of the new body.
                let old = &block.text[span.clone()];
                let mut comments = old.lines().map(layout::trailing_comment);
                let header = comments.next().flatten();
                let inner: Vec<&str> = comments.flatten().collect();
                let mut new_lines: Vec<String> = text.lines().map(str::to_string).collect();
                if let (Some(c), Some(first)) = (header, new_lines.first_mut()) {
                    first.push_str(&format!(" {c}"));
                }
                for (i, c) in inner.iter().enumerate() {
                    new_lines.insert(1 + i, format!("  {c}"));
                }
                let lines = layout::indent_lines(&new_lines.join("\n"), &indent);
                Some(TextEdit {
                    range: span,
                    replacement: lines.trim_start().to_string(),
                })
            }
        }
    }
}

/// Where a block path (`a.0.b.1`: names and indexes among blocks of that name) leads.
pub(crate) enum Reach<'t> {
    /// The last block's body, and the block (`None` for an empty path).
    Found(BodyAt<'t>, Option<&'t hcl::edit::structure::Block>),
    /// The path's block at `from` is the next one of its name in `body`, not written yet:
    /// an edit makes it and what follows.
    Missing { body: BodyAt<'t>, from: usize },
}

/// Follows a block path from `body`. `None` when the path is malformed or leads where no
/// edit may go: a name set as an object attribute, blocks written by `dynamic`, an index
/// past the next block of its name.
pub(crate) fn descend<'t>(body: BodyAt<'t>, blocks: &[&str]) -> Option<Reach<'t>> {
    let mut at = body;
    let mut block = None;
    for (i, c) in blocks.chunks(2).enumerate() {
        let index: usize = c.get(1)?.parse().ok()?;
        let dynamic = at.node.blocks().any(|b| {
            b.has_ident("dynamic") && b.labels.first().is_some_and(|l| l.as_str() == c[0])
        });
        if at.attr(c[0]).is_some() || dynamic {
            return None;
        }
        let found = at.blocks(c[0]);
        match found.get(index) {
            Some((b, inner)) => {
                block = Some(*b);
                at = *inner;
            }
            None if index == found.len() => {
                return Some(Reach::Missing {
                    body: at,
                    from: 2 * i,
                })
            }
            None => return None,
        }
    }
    Some(Reach::Found(at, block))
}

/// Nested blocks holding one attribute: `a { b { key = value } }`, laid out on lines.
fn nested(blocks: &[&str], key: &str, value: &str) -> String {
    let mut out = String::new();
    for (depth, b) in blocks.iter().enumerate() {
        out.push_str(&format!("{}{b} {{\n", "  ".repeat(depth)));
    }
    out.push_str(&format!("{}{key} = {value}\n", "  ".repeat(blocks.len())));
    for depth in (0..blocks.len()).rev() {
        out.push_str(&format!("{}}}", "  ".repeat(depth)));
        if depth > 0 {
            out.push('\n');
        }
    }
    out
}

/// Which fixes [`fix_all`] applies.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Only these rules (ids), when not empty.
    pub rules: Vec<String>,
    /// Only the findings with these fingerprints ([`finding_key`]), when given: the page's
    /// selection.
    pub findings: Option<Vec<String>>,
}

impl Selection {
    fn wants(&self, f: &Finding, fix: &Fix) -> bool {
        if f.suppressed.is_some() || (fix.safety == Safety::Unsafe && !self.unsafe_fixes) {
            return false;
        }
        if !self.rules.is_empty() && !self.rules.iter().any(|r| r.eq_ignore_ascii_case(&f.rule)) {
            return false;
        }
        match &self.findings {
            Some(keys) => keys.contains(&finding_key(f)),
            None => true,
        }
    }
}

/// A finding's identity across re-reviews: rule, address and attribute.
pub fn finding_key(f: &Finding) -> String {
    format!(
        "{} {} {}",
        f.rule,
        f.address.as_deref().unwrap_or("-"),
        f.attribute.as_deref().unwrap_or("-")
    )
}

/// One fix [`fix_all`] applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    pub rule: String,
    pub address: Option<String>,
    pub safety: Safety,
    pub description: String,
}

/// What [`fix_all`] did.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Outcome {
    /// Each changed file: path, text before, text after.
    pub changed: Vec<(String, String, String)>,
    pub applied: Vec<Applied>,
    /// The review of the fixed files.
    pub report: super::report::Report,
}

/// Most review-and-fix rounds: a round applies every selected fix that does not overlap an
/// earlier one; fixes left by an overlap get their turn in the next.
const MAX_ROUNDS: usize = 8;

/// Applies the selected fixes to `files`, re-reviewing after each round.
pub fn fix_all(files: Vec<SourceFile>, options: &Options, selection: &Selection) -> Outcome {
    let originals: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    let mut current = files;
    let mut applied = Vec::new();
    let mut report = super::check(&current, options);
    for _ in 0..MAX_ROUNDS {
        let mut taken: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
        let mut round = Vec::new();
        for f in &report.findings {
            let Some(fix) = &f.fix else { continue };
            if !selection.wants(f, fix) {
                continue;
            }
            let clashes = fix.edits.iter().any(|e| {
                taken
                    .get(e.file.as_str())
                    .is_some_and(|list| list.iter().any(|t| overlaps(t, e)))
            });
            if clashes {
                continue;
            }
            for e in &fix.edits {
                let list = taken.entry(e.file.as_str()).or_default();
                if !list.contains(&e) {
                    list.push(e);
                }
            }
            round.push(Applied {
                rule: f.rule.clone(),
                address: f.address.clone(),
                safety: fix.safety,
                description: fix.description.clone(),
            });
        }
        if round.is_empty() {
            break;
        }
        let mut any = false;
        for file in current.iter_mut() {
            let Some(edits) = taken.get(file.path.as_str()) else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.bytes).into_owned();
            let edits: Vec<TextEdit> = edits
                .iter()
                .map(|e| TextEdit {
                    range: e.start as usize..e.end as usize,
                    replacement: e.replacement.clone(),
                })
                .collect();
            if let Some(new) = apply(&text, &edits) {
                any |= new != text;
                file.bytes = new.into_bytes();
            }
        }
        applied.extend(round);
        report = super::check(&current, options);
        if !any {
            break;
        }
    }
    let changed = originals
        .into_iter()
        .zip(&current)
        .filter_map(|((path, old), f)| {
            let new = String::from_utf8_lossy(&f.bytes).into_owned();
            (new != old).then_some((path, old, new))
        })
        .collect();
    Outcome {
        changed,
        applied,
        report,
    }
}

/// One fix as a unified diff of the files it edits, with `text` giving each file's current
/// text: the finding detail's preview of the user's own lines. `None` when a file is missing
/// or the edits no longer fit it.
pub fn preview<'t>(fix: &Fix, text: impl Fn(&str) -> Option<&'t str>) -> Option<String> {
    let mut files: Vec<&str> = fix.edits.iter().map(|e| e.file.as_str()).collect();
    files.dedup();
    let mut changed = Vec::new();
    for file in files {
        let old = text(file)?;
        let edits: Vec<TextEdit> = fix
            .edits
            .iter()
            .filter(|e| e.file == file)
            .map(|e| TextEdit {
                range: e.start as usize..e.end as usize,
                replacement: e.replacement.clone(),
            })
            .collect();
        changed.push((file.to_string(), old.to_string(), apply(old, &edits)?));
    }
    Some(unified_diff(&changed, |p| p.to_string()))
}

/// Whether two edits of one file touch the same bytes (an insertion counts as taking the
/// byte after it, so two insertions at one offset clash unless they are the same edit).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    a != b && a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// A unified diff of the changed files, `git apply`-able from the folder the paths are
/// relative to (`a/` and `b/` prefixes; `display` maps a file's path to the path shown).
pub fn unified_diff(
    changed: &[(String, String, String)],
    display: impl Fn(&str) -> String,
) -> String {
    let mut out = String::new();
    for (path, old, new) in changed {
        let shown = display(path);
        let diff = similar::TextDiff::from_lines(old.as_str(), new.as_str());
        out.push_str(&format!("diff --git a/{shown} b/{shown}\n"));
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .missing_newline_hint(true)
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests;
