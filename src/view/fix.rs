//! Fixes on the page: one fix's diff of the user's own lines for the finding detail, the
//! per-finding choice of what goes into the downloaded patch (safe fixes in by default,
//! unsafe ones out), and the patch itself, made by `fix::fix_all` over the loaded files.

use std::collections::BTreeMap;

use crate::engine::fix::{self, finding_key, Fix, Safety, Selection};
use crate::engine::model::InputFile;
use crate::engine::report::Report;
use crate::engine::rules::Finding;
use crate::engine::{Options, SourceFile};

/// The patch's file name.
pub const PATCH_FILE: &str = "planlens-fixes.patch";
/// The patch's media type.
pub const PATCH_MIME: &str = "text/x-diff";
/// Shown under a plan finding's snippet: plans carry no text to edit.
pub const PLAN_ONLY_NOTE: &str =
    "Fixes are written against .tf files: load the configuration to get a patch.";

/// What kind of line of a unified diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffKind {
    /// `+++ b/main.tf`: the file the hunks change (the `diff --git` and `---` lines are
    /// not shown).
    File,
    /// `@@ -3,4 +3,5 @@`
    Hunk,
    Context,
    Added,
    Removed,
    /// `\ No newline at end of file`
    Note,
}

impl DiffKind {
    /// The CSS class of the line.
    pub fn class(self) -> &'static str {
        match self {
            DiffKind::File => "diff-file",
            DiffKind::Hunk => "diff-hunk",
            DiffKind::Context => "diff-context",
            DiffKind::Added => "diff-add",
            DiffKind::Removed => "diff-del",
            DiffKind::Note => "diff-note",
        }
    }

    /// The sign shown before the line's text.
    pub fn sign(self) -> &'static str {
        match self {
            DiffKind::Added => "+",
            DiffKind::Removed => "-",
            _ => " ",
        }
    }
}

/// One line of a diff, with its numbers in the old and the new file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: DiffKind,
    pub old: Option<u32>,
    pub new: Option<u32>,
    /// The line without its sign (the file's path for [`DiffKind::File`]).
    pub text: String,
}

/// A unified diff (as `fix::preview` and `fix::unified_diff` write it) as lines to show.
pub fn diff_lines(diff: &str) -> Vec<DiffLine> {
    let mut out = Vec::new();
    let (mut old, mut new) = (0u32, 0u32);
    let line = |kind, old, new, text: &str| DiffLine {
        kind,
        old,
        new,
        text: text.to_string(),
    };
    for l in diff.lines() {
        if l.starts_with("diff --git ") || l.starts_with("--- ") {
            continue;
        }
        if let Some(path) = l.strip_prefix("+++ ") {
            let path = path.strip_prefix("b/").unwrap_or(path);
            out.push(line(DiffKind::File, None, None, path));
        } else if l.starts_with("@@") {
            let (o, n) = hunk_starts(l).unwrap_or((1, 1));
            old = o;
            new = n;
            out.push(line(DiffKind::Hunk, None, None, l));
        } else if let Some(t) = l.strip_prefix('+') {
            out.push(line(DiffKind::Added, None, Some(new), t));
            new += 1;
        } else if let Some(t) = l.strip_prefix('-') {
            out.push(line(DiffKind::Removed, Some(old), None, t));
            old += 1;
        } else if l.starts_with('\\') {
            out.push(line(DiffKind::Note, None, None, l));
        } else {
            let t = l.strip_prefix(' ').unwrap_or(l);
            out.push(line(DiffKind::Context, Some(old), Some(new), t));
            old += 1;
            new += 1;
        }
    }
    out
}

/// `@@ -3,4 +3,5 @@` → (3, 3).
fn hunk_starts(header: &str) -> Option<(u32, u32)> {
    let mut parts = header.split_whitespace().skip(1);
    let start = |p: &str| p[1..].split(',').next()?.parse::<u32>().ok();
    let old = parts.next().filter(|p| p.starts_with('-'))?;
    let new = parts.next().filter(|p| p.starts_with('+'))?;
    Some((start(old)?, start(new)?))
}

/// The diff of one finding's fix against the loaded files' text; `None` when a file it
/// edits is not loaded (a review opened from a permalink without its input).
pub fn preview(fix: &Fix, files: &[InputFile]) -> Option<Vec<DiffLine>> {
    let diff = fix::preview(fix, |path| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.as_str())
    })?;
    Some(diff_lines(&diff))
}

/// "safe fix" / "unsafe fix".
pub fn badge(safety: Safety) -> &'static str {
    match safety {
        Safety::Safe => "safe fix",
        Safety::Unsafe => "unsafe fix",
    }
}

/// Whether the report was made without any `.tf` file, so no finding can have a fix.
pub fn plan_only(report: &Report) -> bool {
    !report
        .input
        .files
        .iter()
        .any(|f| fix::editable(f.kind, &f.path))
}

/// The user's choices of fixes to include, by [`finding_key`]; a finding not in it has
/// the default (safe fixes in, unsafe ones out). Kept across re-analysis.
pub type Choices = BTreeMap<String, bool>;

/// Whether a finding's fix goes into the patch.
pub fn chosen(choices: &Choices, key: &str, safety: Safety) -> bool {
    choices.get(key).copied().unwrap_or(safety == Safety::Safe)
}

/// A finding the patch can fix: it has a fix and is not suppressed.
pub fn fixable(f: &Finding) -> Option<&Fix> {
    f.fix.as_ref().filter(|_| f.counts())
}

/// The keys of the fixes going into the patch, and how many fixable findings there are.
pub fn selected(report: &Report, choices: &Choices) -> (Vec<String>, usize) {
    let mut keys = Vec::new();
    let mut total = 0;
    for f in &report.findings {
        let Some(fix) = fixable(f) else { continue };
        total += 1;
        let key = finding_key(f);
        if chosen(choices, &key, fix.safety) && !keys.contains(&key) {
            keys.push(key);
        }
    }
    (keys, total)
}

/// "2 of 3 fixes selected".
pub fn selection_label(selected: usize, total: usize) -> String {
    format!(
        "{selected} of {total} fix{} selected",
        if total == 1 { "" } else { "es" }
    )
}

/// A patch made for download, and what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patch {
    pub file_name: String,
    pub mime: String,
    /// The `git apply`-able diff (empty when nothing changed).
    pub text: String,
    /// Fixes applied (over all rounds).
    pub applied: usize,
    /// Findings the re-review of the fixed files leaves (not suppressed).
    pub remaining: usize,
}

/// Applies the fixes of the findings `keys` names (safe or unsafe, as chosen) to `files`
/// and re-reviews: the patch and the counts.
pub fn patch(files: Vec<SourceFile>, options: &Options, keys: Vec<String>) -> Patch {
    let selection = Selection {
        unsafe_fixes: true,
        rules: Vec::new(),
        findings: Some(keys),
    };
    let outcome = fix::fix_all(files, options, &selection);
    Patch {
        file_name: PATCH_FILE.to_string(),
        mime: PATCH_MIME.to_string(),
        text: fix::unified_diff(&outcome.changed, |p| p.to_string()),
        applied: outcome.applied.len(),
        remaining: outcome
            .report
            .findings
            .iter()
            .filter(|f| f.counts())
            .count(),
    }
}

/// What the page says after a download.
pub fn patch_status(p: &Patch) -> String {
    let left = format!(
        "the re-review leaves {} finding{}",
        p.remaining,
        if p.remaining == 1 { "" } else { "s" }
    );
    if p.text.is_empty() {
        return format!("Nothing to change: {left}.");
    }
    format!(
        "Downloaded {}: {} fix{} applied; {left}. Apply it with git apply from the folder you loaded.",
        p.file_name,
        p.applied,
        if p.applied == 1 { "" } else { "es" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::check;
    use crate::engine::model::FileKind;

    const TF: &str = r#"resource "aws_kms_key" "data" {
  description = "customer data"
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1"
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}
"#;

    fn sources() -> Vec<SourceFile> {
        vec![SourceFile::new("main.tf", TF)]
    }

    fn files() -> Vec<InputFile> {
        vec![InputFile::new(
            "main.tf".into(),
            Some(FileKind::Hcl),
            String::new(),
            TF.into(),
        )]
    }

    #[test]
    fn diff_lines_number_both_sides_and_drop_the_git_headers() {
        let diff = "diff --git a/main.tf b/main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -2,3 +2,4 @@\n a\n-b\n+c\n+d\n e\n\\ No newline at end of file\n";
        let lines = diff_lines(diff);
        let kinds: Vec<DiffKind> = lines.iter().map(|l| l.kind).collect();
        use DiffKind::*;
        assert_eq!(
            kinds,
            [File, Hunk, Context, Removed, Added, Added, Context, Note]
        );
        assert_eq!(lines[0].text, "main.tf");
        assert_eq!((lines[2].old, lines[2].new), (Some(2), Some(2)));
        assert_eq!((lines[3].old, lines[3].new), (Some(3), None));
        assert_eq!((lines[4].old, lines[4].new), (None, Some(3)));
        assert_eq!((lines[6].old, lines[6].new), (Some(4), Some(5)));
        assert_eq!(lines[3].text, "b");
        assert_eq!(hunk_starts("@@ -7 +7,2 @@"), Some((7, 7)));
        assert_eq!(hunk_starts("@@ nonsense"), None);
    }

    #[test]
    fn a_fix_previews_against_the_users_lines() {
        let report = check(&sources(), &Options::default());
        let f = report
            .findings
            .iter()
            .find(|f| f.rule == "KMS001")
            .expect("KMS001");
        let fix = f.fix.as_ref().expect("a fix");
        let lines = preview(fix, &files()).expect("a preview");
        assert!(
            lines
                .iter()
                .any(|l| l.kind == DiffKind::Context
                    && l.text == r#"resource "aws_kms_key" "data" {"#)
        );
        assert!(lines
            .iter()
            .any(|l| l.kind == DiffKind::Added && l.text.contains("enable_key_rotation")));
        assert!(preview(fix, &[]).is_none(), "no file, no preview");
        assert!(!plan_only(&report));
    }

    #[test]
    fn safe_fixes_are_chosen_by_default_and_choices_override() {
        let report = check(&sources(), &Options::default());
        let tls = report
            .findings
            .iter()
            .find(|f| f.rule == "TLS001")
            .expect("TLS001");
        assert_eq!(tls.fix.as_ref().map(|f| f.safety), Some(Safety::Unsafe));
        let mut choices = Choices::new();
        let (keys, total) = selected(&report, &choices);
        assert!(total >= 2);
        assert!(keys.iter().any(|k| k.starts_with("KMS001 ")));
        assert!(!keys.contains(&finding_key(tls)));
        choices.insert(finding_key(tls), true);
        let (keys, _) = selected(&report, &choices);
        assert!(keys.contains(&finding_key(tls)));
        assert_eq!(selection_label(1, 1), "1 of 1 fix selected");
        assert_eq!(selection_label(2, 3), "2 of 3 fixes selected");
    }

    #[test]
    fn the_patch_fixes_what_was_chosen_and_counts_what_is_left() {
        let report = check(&sources(), &Options::default());
        let (keys, _) = selected(&report, &Choices::new());
        let before = report.findings.len();
        let p = patch(sources(), &Options::default(), keys);
        assert_eq!(p.file_name, "planlens-fixes.patch");
        assert_eq!(p.mime, "text/x-diff");
        assert!(
            p.text.starts_with("diff --git a/main.tf b/main.tf\n"),
            "{}",
            p.text
        );
        assert!(p.text.contains("+  enable_key_rotation"));
        assert!(!p.text.contains("TLS13"), "the unsafe fix stays out");
        assert!(p.applied >= 1 && p.remaining < before);
        assert!(patch_status(&p).contains("applied"));
        let none = patch(sources(), &Options::default(), Vec::new());
        assert!(none.text.is_empty() && none.applied == 0);
        assert!(patch_status(&none).starts_with("Nothing to change"));
    }
}
