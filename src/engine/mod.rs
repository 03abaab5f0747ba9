//! The engine: pure Rust, no I/O, no clock, no web types. The CLI, the page and the tests
//! all call [`check`] (or [`analyse`] on an already-loaded model).

pub mod access;
pub mod category;
pub mod config;
pub mod fix;
pub mod input;
pub mod metrics;
pub mod model;
pub mod policy;
pub mod report;
pub mod rules;
pub mod sort;
pub mod stores;
pub mod tls;

pub use config::Config;
pub use report::Report;

/// One input file as the user gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// As the user named it; folders keep their relative paths (`modules/kms/main.tf`).
    pub path: String,
    pub bytes: Vec<u8>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> SourceFile {
        SourceFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Options {
    pub config: Config,
    /// "Now" for certificate expiry when the input has no plan timestamp (RFC 3339 or
    /// `YYYY-MM-DD`). The engine has no clock: the CLI passes today's date.
    pub now: Option<String>,
}

/// Loads the files into one model and reviews it.
pub fn check(files: &[SourceFile], options: &Options) -> Report {
    let model = input::load(files);
    analyse(&model, options)
}

/// As [`check`], taking the files, so their bytes become the model's text without a copy.
pub fn check_owned(files: Vec<SourceFile>, options: &Options) -> Report {
    let model = input::load_owned(files);
    analyse(&model, options)
}

/// Reviews a loaded model: the page keeps the model and re-runs this when the user
/// overrides a category or suppresses a finding.
pub fn analyse(model: &model::Model, options: &Options) -> Report {
    let analysis = stores::analyse(model, &options.config);
    let access = access::analyse(model, &analysis);
    let cx = rules::Context {
        model,
        analysis: &analysis,
        access: &access,
        options,
    };
    let mut findings = rules::run(&cx);
    fix::attach(model, &analysis, &options.config, &mut findings);
    let metrics = metrics::compute(&cx, &findings);
    let mut report = Report::build(model, analysis, findings, metrics);
    report.set_access(access);
    report
}
