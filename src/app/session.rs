//! What the engine side keeps between requests, wherever it runs (the analysis worker, or
//! inline in browser tests): the model last read, and the report on screen with the
//! options it was made with. Sharing and exporting work on that report, so the page never
//! ships a report back to the engine; opening a permalink replaces it with the link's.

use crate::engine::model::Model;
use crate::engine::report::baseline::{self, Baseline};
use crate::engine::report::{ExportFormat, VERSION};
use crate::engine::{self, Options, Report, SourceFile};
use crate::view::fix::Patch;
use crate::view::share::{self, Download, OpenedReview, Plan, ShareOffer};

#[derive(Default)]
pub struct Session {
    model: Option<Model>,
    current: Option<(Report, Options)>,
    /// The baseline file the user gave: the findings it holds are marked in every review.
    baseline: Option<Baseline>,
}

impl Session {
    /// Reads and reviews `sources`, keeping the model for [`Session::reanalyse`]. The files'
    /// bytes become the model's text (no second copy of a large plan).
    pub fn load(&mut self, sources: Vec<SourceFile>, options: &Options) -> &Report {
        let model = engine::input::load_owned(sources);
        let report = self.analyse(&model, options);
        self.model = Some(model);
        &self.current.insert((report, options.clone())).0
    }

    /// Re-runs the rules on the kept model with new options (an override, a suppression).
    pub fn reanalyse(&mut self, options: &Options) -> Result<&Report, String> {
        let model = self
            .model
            .as_ref()
            .ok_or_else(|| "nothing loaded to re-analyse".to_string())?;
        let report = self.analyse(model, options);
        Ok(&self.current.insert((report, options.clone())).0)
    }

    fn analyse(&self, model: &Model, options: &Options) -> Report {
        let mut report = engine::analyse(model, options);
        if let Some(b) = &self.baseline {
            baseline::mark(&mut report, b);
        }
        report
    }

    /// Sets (or, with `None`, clears) the baseline and reviews the kept model again, so the
    /// review on screen shows it; `None` when nothing is loaded (a permalink's report is
    /// shown as made).
    pub fn set_baseline(&mut self, baseline: Option<Baseline>) -> Result<Option<&Report>, String> {
        self.baseline = baseline;
        let options = match (&self.model, &self.current) {
            (Some(_), Some((_, options))) => options.clone(),
            _ => return Ok(None),
        };
        self.reanalyse(&options).map(Some)
    }

    /// Opens a permalink: when it carries its input (matching its hashes) the input is
    /// reviewed again here with the link's settings, so the receiver sees what this
    /// planlens makes of it; otherwise the carried report is kept as made. Either becomes
    /// the report shared and exported. A link that fails to decode changes nothing.
    pub fn open(&mut self, link: &str) -> Result<OpenedReview, String> {
        let opened = share::open(link).map_err(|e| e.to_string())?;
        let read_only = opened.read_only();
        let (sources, config) = match opened.plan() {
            Plan::Rerun { sources, options } => {
                self.load(sources.clone(), &options);
                (sources, options.config)
            }
            Plan::Show { report, options } => {
                self.model = None;
                let config = options.config.clone();
                self.current = Some((*report, options));
                (Vec::new(), config)
            }
        };
        let report = self.current()?.0.clone();
        let banner = share::banner(&read_only, VERSION, Some(share::unsuppressed(&report)));
        Ok(OpenedReview {
            banner,
            sources,
            report,
            config,
        })
    }

    /// The permalinks for the report on screen; `base` is the page's address.
    pub fn share(&self, base: &str) -> Result<ShareOffer, String> {
        let (report, options) = self.current()?;
        Ok(share::offer(base, report, options, self.model.as_ref()))
    }

    pub fn export(&self, format: ExportFormat) -> Result<Download, String> {
        let (report, _) = self.current()?;
        Ok(share::download(report, format))
    }

    /// The fixes of the findings `keys` names (`fix::finding_key`), applied to the loaded
    /// files with the review's options, as a patch.
    pub fn patch(&self, keys: Vec<String>) -> Result<Patch, String> {
        let (_, options) = self.current()?;
        let model = self.model.as_ref().ok_or_else(|| {
            "this review was opened without its input: there is nothing to fix".to_string()
        })?;
        let files = model
            .files
            .iter()
            .map(|f| SourceFile::new(f.path.clone(), f.text.as_bytes()))
            .collect();
        Ok(crate::view::fix::patch(files, options, keys))
    }

    fn current(&self) -> Result<&(Report, Options), String> {
        self.current
            .as_ref()
            .ok_or_else(|| "there is no review to share yet".to_string())
    }
}
