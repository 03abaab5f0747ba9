//! Sharing a review, as plain data: what the Share panel offers (the permalink with and
//! without the input, and what its length means), what opening a permalink does (re-run the
//! carried input, or show the carried report), what the read-only banner says, and the
//! downloads. Everything goes through the engine's own codec and exporters
//! (`report::permalink`, `report::export`), the ones the CLI uses; the page runs them with
//! the engine, off the main thread (`app::session`).

use crate::engine::category::{Category, Level};
use crate::engine::config::Config;
use crate::engine::model::Model;
use crate::engine::report::permalink::{
    self, Payload, PermalinkError, MAX_FRAGMENT_CHARS, MAX_SHARE_CHARS,
};
use crate::engine::report::{self, ExportFormat, ExportOptions};
use crate::engine::{Options, Report, SourceFile};

/// Hex digits of a SHA-256 the banner shows: enough to compare with `sha256sum` at a glance.
pub const SHORT_DIGEST: usize = 12;

/// Shown beside every control that would change a review opened from a permalink.
pub const READ_ONLY_NOTE: &str = "Read-only: this review was opened from a permalink. Use \u{201c}Start a new review\u{201d} to suppress findings or change categories in your own review.";

/// The banner's first words.
pub const BANNER_TITLE: &str = "Opened from a permalink \u{2014} read-only";

/// The page address a permalink starts with: the current URL without its query or
/// fragment, so a site served from a sub-path (`/planlens/`) links back to itself.
pub fn base_url(href: &str) -> String {
    let end = href.find(['#', '?']).unwrap_or(href.len());
    href[..end].to_string()
}

/// Whether a fragment asks to open a permalink. Any `#v…` is tried, so an unknown version
/// (`#v9.…`) gets the codec's message rather than being ignored.
pub fn is_permalink(hash: &str) -> bool {
    hash.starts_with("#v")
}

pub fn short_digest(sha256: &str) -> String {
    sha256.chars().take(SHORT_DIGEST).collect()
}

/// What the Share panel offers for the review on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareOffer {
    /// The report, its settings and the input's hashes.
    pub report_only: String,
    /// The same plus the input itself, when that stays under the codec's limit.
    pub with_input: Option<String>,
    /// Why the input is not offered.
    pub input_note: Option<String>,
}

impl ShareOffer {
    /// The link to show: with the input when asked and available.
    pub fn link(&self, include_input: bool) -> &str {
        match (&self.with_input, include_input) {
            (Some(l), true) => l,
            _ => &self.report_only,
        }
    }
}

/// Builds both links for a review made with `options`. `model` is what the engine read;
/// without it (a review opened from a link that carried no input) only the report is
/// offered.
pub fn offer(base: &str, report: &Report, options: &Options, model: Option<&Model>) -> ShareOffer {
    let base = base_url(base);
    let mut payload = Payload::new(report, options);
    let report_only = permalink::link(&base, &payload);
    let (with_input, input_note) = match model {
        None => (
            None,
            Some(
                "This review came from a link without its input, so only the report can be shared."
                    .to_string(),
            ),
        ),
        Some(m) if m.files.is_empty() => (None, Some("There is no input to include.".to_string())),
        Some(m) => match payload.attach_input(m) {
            Ok(_) => (Some(permalink::link(&base, &payload)), None),
            Err(e) => (None, Some(capitalised(&e.to_string()))),
        },
    };
    ShareOffer {
        report_only,
        with_input,
        input_note,
    }
}

/// What the Share panel shows, given the offer (none yet while it is being built) and the
/// user's answer to "include the input" (none until they answer: then the input is
/// included whenever it fits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelText {
    pub link: String,
    /// Whether the "include the input" box can be ticked, and whether it is.
    pub can_include: bool,
    pub include: bool,
    pub input_note: String,
    /// Building, the link's length and what it means, or why there is no link.
    pub status: String,
}

pub fn panel_text(offer: Option<&Result<ShareOffer, String>>, choice: Option<bool>) -> PanelText {
    let o = match offer {
        None => {
            return PanelText {
                link: String::new(),
                can_include: false,
                include: false,
                input_note: String::new(),
                status: "Building the link…".into(),
            }
        }
        Some(Err(e)) => {
            return PanelText {
                link: String::new(),
                can_include: false,
                include: false,
                input_note: String::new(),
                status: format!("No link: {e}"),
            }
        }
        Some(Ok(o)) => o,
    };
    let can_include = o.with_input.is_some();
    let include = can_include && choice.unwrap_or(true);
    let link = o.link(include).to_string();
    let (len, note) = length_text(&link);
    let what = if include {
        "report, settings and input"
    } else {
        "report and settings"
    };
    let status = match note {
        Some(n) => format!("{len} ({what}). {n}"),
        None => format!("{len} ({what})."),
    };
    let input_note = match (&o.with_input, &o.input_note) {
        (Some(l), _) => format!("With the input the link is {}.", length_text(l).0),
        (None, Some(n)) => n.clone(),
        (None, None) => String::new(),
    };
    PanelText {
        link,
        can_include,
        include,
        input_note,
        status,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkSize {
    /// Survives chat tools and issue trackers.
    Fine,
    /// Opens in a browser, but some tools cut links this long.
    Long,
    /// Longer than planlens reads back: it would not open.
    Unreadable,
}

pub fn link_size(chars: usize) -> LinkSize {
    if chars > MAX_FRAGMENT_CHARS {
        LinkSize::Unreadable
    } else if chars > MAX_SHARE_CHARS {
        LinkSize::Long
    } else {
        LinkSize::Fine
    }
}

/// "12,345 characters", and what that length means when it matters.
pub fn length_text(link: &str) -> (String, Option<String>) {
    let chars = link.chars().count();
    let text = format!("{} characters", grouped(chars));
    let note = match link_size(chars) {
        LinkSize::Fine => None,
        LinkSize::Long => Some(format!(
            "Long: chat tools and issue trackers may cut links over {} characters; a downloaded report travels better.",
            grouped(MAX_SHARE_CHARS)
        )),
        LinkSize::Unreadable => Some(format!(
            "Too long to open: planlens reads links up to {} characters. Share an export instead.",
            grouped(MAX_FRAGMENT_CHARS)
        )),
    };
    (text, note)
}

/// 1234567 → "1,234,567".
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A decoded permalink and whether its input (if any) is the input its report names.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub payload: Payload,
    /// `Payload::input_matches_hashes`: `None` without input.
    pub input_matches: Option<bool>,
}

/// Decodes a link, fragment or `#fragment`; the error is the codec's.
pub fn open(link: &str) -> Result<Opened, PermalinkError> {
    let payload = permalink::decode(link)?;
    let input_matches = payload.input_matches_hashes();
    Ok(Opened {
        payload,
        input_matches,
    })
}

/// What the page does with an opened link.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// Review the carried input again, with the link's settings: the receiver sees what
    /// their planlens makes of it.
    Rerun {
        sources: Vec<SourceFile>,
        options: Options,
    },
    /// Show the carried report as it was made.
    Show {
        report: Box<Report>,
        options: Options,
    },
}

/// How the read-only review came about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Rerun,
    ReportOnly,
    /// The link carried input whose hashes do not match: not re-run.
    InputMismatch,
}

/// A review opened from a permalink, as the page shows it: already re-run when the link
/// carried its input.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedReview {
    pub banner: Banner,
    /// The input the review was made from, when the link carried it (source excerpts).
    pub sources: Vec<SourceFile>,
    pub report: Report,
    /// The link's settings: the views show its minimums and overrides.
    pub config: Config,
}

/// The settings the views show (category minimums, overrides), as `[name, value]` pairs
/// for the page, which then needs no settings reader.
pub fn shown_settings(config: &Config) -> (Vec<[String; 2]>, Vec<[String; 2]>) {
    let minimums = config
        .minimums
        .iter()
        .map(|(c, l)| [c.as_str().to_string(), l.as_str().to_string()])
        .collect();
    let overrides = config
        .overrides
        .iter()
        .map(|(a, c)| [a.clone(), c.as_str().to_string()])
        .collect();
    (minimums, overrides)
}

/// The reverse of [`shown_settings`]: default settings with those minimums and overrides.
/// Pairs that name no category or level are skipped.
pub fn settings_from(minimums: &[[String; 2]], overrides: &[[String; 2]]) -> Config {
    let category = |s: &str| Category::ALL.into_iter().find(|c| c.as_str() == s);
    let mut config = Config::default();
    for [c, l] in minimums {
        if let (Some(c), Some(l)) = (category(c), Level::parse(l)) {
            config.minimums.insert(c, l);
        }
    }
    for [a, c] in overrides {
        if let Some(c) = category(c) {
            config.overrides.insert(a.clone(), c);
        }
    }
    config
}

/// What the read-only banner is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOnly {
    pub made_by: String,
    /// Path and SHA-256 of each input file the report names.
    pub files: Vec<(String, String)>,
    pub mode: Mode,
    /// Unsuppressed findings in the link's own report.
    pub carried_findings: usize,
}

impl Opened {
    pub fn plan(&self) -> Plan {
        let options = self.payload.options();
        match (self.input_matches, self.payload.sources()) {
            (Some(true), Some(sources)) => Plan::Rerun { sources, options },
            _ => Plan::Show {
                report: Box::new(self.payload.report.clone()),
                options,
            },
        }
    }

    pub fn read_only(&self) -> ReadOnly {
        let mode = match self.input_matches {
            Some(true) => Mode::Rerun,
            Some(false) => Mode::InputMismatch,
            None => Mode::ReportOnly,
        };
        ReadOnly {
            made_by: self.payload.planlens.clone(),
            files: self
                .payload
                .files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect(),
            mode,
            carried_findings: unsuppressed(&self.payload.report),
        }
    }
}

pub fn unsuppressed(report: &Report) -> usize {
    report.findings.iter().filter(|f| f.counts()).count()
}

/// The read-only banner: one line of facts, then notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    pub title: &'static str,
    pub made_by: String,
    /// `(path, short digest, full digest)` per input file.
    pub digests: Vec<(String, String, String)>,
    pub notes: Vec<String>,
}

impl Banner {
    /// The banner as one line of text (what a screen reader reads first).
    pub fn line(&self) -> String {
        let mut s = format!("{} · {}", self.title, self.made_by);
        if !self.digests.is_empty() {
            s.push_str(" · input SHA-256");
            for (path, short, _) in &self.digests {
                s.push_str(&format!(" {path} {short}"));
            }
        }
        s
    }
}

/// The banner for a read-only review shown by planlens `this_version`; `shown_findings` is
/// what the page shows now (after a re-run, this version's count).
pub fn banner(ro: &ReadOnly, this_version: &str, shown_findings: Option<usize>) -> Banner {
    let same_version = ro.made_by == this_version;
    let mut notes = Vec::new();
    match ro.mode {
        Mode::Rerun => {
            notes.push(format!(
                "The link carries its input, which matches its SHA-256: the review was run again here, by planlens {this_version}."
            ));
            if !same_version {
                let counts = match shown_findings {
                    Some(now) if now != ro.carried_findings => format!(
                        " The link's report had {} finding{}; this run has {now}.",
                        ro.carried_findings,
                        plural(ro.carried_findings)
                    ),
                    Some(_) => " Both find the same number of findings.".to_string(),
                    None => String::new(),
                };
                notes.push(format!(
                    "The link was made by planlens {}, so its rules may differ from these.{counts}",
                    ro.made_by
                ));
            }
        }
        Mode::ReportOnly => {
            notes.push("The link carries the report, not the input: it is shown as it was made, without source excerpts.".to_string());
            if !same_version {
                notes.push(format!(
                    "Its findings are planlens {}'s; this page is planlens {this_version}.",
                    ro.made_by
                ));
            }
        }
        Mode::InputMismatch => notes.push(
            "The input in the link does not match the SHA-256 recorded for it (the link was edited, or the file had a byte-order mark or was UTF-16), so it was not run again: the carried report is shown as it was made.".to_string(),
        ),
    }
    Banner {
        title: BANNER_TITLE,
        made_by: format!("made by planlens {}", ro.made_by),
        digests: ro
            .files
            .iter()
            .map(|(path, sha)| (path.clone(), short_digest(sha), sha.clone()))
            .collect(),
        notes,
    }
}

/// The exports the page offers, in the order its buttons show them.
pub const EXPORTS: [ExportFormat; 4] = [
    ExportFormat::Sarif,
    ExportFormat::Json,
    ExportFormat::Markdown,
    ExportFormat::Csv,
];

pub fn export_slug(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Json => "json",
        ExportFormat::Sarif => "sarif",
        ExportFormat::Markdown => "markdown",
        ExportFormat::Csv => "csv",
        #[cfg(not(target_arch = "wasm32"))]
        ExportFormat::Gitlab => "gitlab",
        #[cfg(not(target_arch = "wasm32"))]
        ExportFormat::Junit => "junit",
    }
}

pub fn export_label(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Json => "JSON",
        ExportFormat::Sarif => "SARIF",
        ExportFormat::Markdown => "Markdown",
        ExportFormat::Csv => "CSV",
        #[cfg(not(target_arch = "wasm32"))]
        ExportFormat::Gitlab => "GitLab Code Quality",
        #[cfg(not(target_arch = "wasm32"))]
        ExportFormat::Junit => "JUnit XML",
    }
}

pub fn parse_export(slug: &str) -> Option<ExportFormat> {
    EXPORTS.into_iter().find(|f| export_slug(*f) == slug)
}

/// A file to download: the engine's export of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    pub file_name: String,
    pub mime: String,
    pub text: String,
}

/// `report::export` with the CLI's defaults (Markdown judged against `--fail-on high`).
pub fn download(report: &Report, format: ExportFormat) -> Download {
    let e = report::export(report, format, &ExportOptions::default());
    Download {
        file_name: e.file_name.to_string(),
        mime: e.mime.to_string(),
        text: e.text,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
