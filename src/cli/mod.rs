use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use planlens::engine::report::baseline::{self, Baseline};
use planlens::engine::report::permalink::{self, Payload};
use planlens::engine::report::{ExportFormat, ExportOptions};
use planlens::engine::{self, report, rules, Config, Options, SourceFile};

#[derive(Parser)]
#[command(
    name = "planlens",
    version,
    about = "Reviews Terraform against an AWS encryption strategy"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Review plan JSON, state JSON, .tf/.tf.json files or folders.
    Check(CheckArgs),
    /// List every rule.
    Rules,
    /// Print one rule's documentation.
    Rule {
        /// Rule id (ENC001) or name (store-below-category-minimum).
        id: String,
    },
    /// Apply the mechanical fixes to .tf files: safe ones by default, unsafe ones with
    /// --unsafe; then review again and report what is left.
    Fix(FixArgs),
    /// List every resource type judged as a data store (docs/stores.md), or not judged and why.
    Stores {
        #[arg(long, value_enum, default_value_t = StoresFormat::Text)]
        format: StoresFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StoresFormat {
    /// The table of docs/stores.md.
    Text,
    /// Every catalogue entry as data.
    Json,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders (folders are read recursively for .tf, .tf.json, .tfvars).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print a permalink to this report on stderr: BASE_URL#v1.… (the page's address).
    /// The report lives in the fragment, which browsers never send to a server.
    #[arg(long, value_name = "BASE_URL")]
    permalink: Option<String>,
    /// Put the input in the permalink too (when the link stays under 32,000 characters), so
    /// whoever opens it can re-run the review.
    #[arg(long, requires = "permalink")]
    permalink_with_input: bool,
    /// Exit 1 when an unsuppressed finding has at least this severity.
    #[arg(long, default_value = "high", value_parser = parse_severity)]
    fail_on: rules::Severity,
    /// Settings (tag keys, value mapping, minimums, overrides, suppressions); defaults to a
    /// planlens.toml beside the first path.
    #[arg(long)]
    config: Option<PathBuf>,
    /// A suppression list: TOML with [[suppressions]] rule/address/reason entries.
    #[arg(long)]
    ignore: Option<PathBuf>,
    /// "Now" for certificate expiry when the input is not a plan (YYYY-MM-DD); default today.
    #[arg(long)]
    now: Option<String>,
    /// Report only findings that are not in this baseline (written by --write-baseline); the
    /// exit code follows the new findings. Says how many were in the baseline and which
    /// baseline entries no longer occur.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record the current (unsuppressed) findings in FILE as a baseline, e.g.
    /// .planlens-baseline.json; the report and exit code are as without it.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Review the folder of each given file, once per folder, each as its own root module
    /// (what the pre-commit hook runs on the changed files). Text output only.
    #[arg(long, conflicts_with_all = ["baseline", "write_baseline", "permalink"])]
    per_folder: bool,
}

#[derive(clap::Args)]
struct FixArgs {
    /// .tf files or folders of them (as for `check`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Apply unsafe fixes too: those that replace a resource, re-encrypt its data or change
    /// what its clients can do (each says which).
    #[arg(long = "unsafe")]
    unsafe_fixes: bool,
    /// Only fix findings of these rules (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    /// Print the fixes as a unified diff (`git apply`-able from the working directory)
    /// instead of writing the files.
    #[arg(long)]
    dry_run: bool,
    /// Exit 1 when a finding at least this severe is left after fixing.
    #[arg(long, default_value = "high", value_parser = parse_severity)]
    fail_on: rules::Severity,
    /// Settings, as for `check`; defaults to a planlens.toml beside the first path.
    #[arg(long)]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// A pull-request comment.
    Markdown,
    /// One row per finding.
    Csv,
    /// GitLab Code Quality (artifacts:reports:codequality).
    Gitlab,
    /// JUnit XML: a test case per rule and resource, failures at --fail-on.
    Junit,
}

fn parse_severity(s: &str) -> Result<rules::Severity, String> {
    rules::Severity::parse(s)
        .ok_or_else(|| "expected one of critical, high, medium, low, info".into())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Rules => {
            for r in rules::registry() {
                println!(
                    "{:<7} {:<9} {:<12} {}",
                    r.id,
                    r.severity,
                    r.control.id(),
                    r.name
                );
            }
            ExitCode::SUCCESS
        }
        Command::Stores { format } => {
            match format {
                StoresFormat::Text => print!("{}", planlens::engine::stores::catalogue_markdown()),
                StoresFormat::Json => {
                    match serde_json::to_string_pretty(&planlens::engine::stores::CATALOGUE[..]) {
                        Ok(s) => println!("{s}"),
                        Err(e) => {
                            eprintln!("planlens: {e}");
                            return ExitCode::from(2);
                        }
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Command::Rule { id } => match rules::rule(&id) {
            Some(r) => {
                print!("{}", rules::docs::markdown(r));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("planlens: no rule {id:?}; `planlens rules` lists them");
                ExitCode::from(2)
            }
        },
        Command::Check(args) => match check(args) {
            Ok(code) => code,
            Err(msg) => {
                eprintln!("planlens: {msg}");
                ExitCode::from(2)
            }
        },
        Command::Fix(args) => match fix(args) {
            Ok(code) => code,
            Err(msg) => {
                eprintln!("planlens: {msg}");
                ExitCode::from(2)
            }
        },
    }
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    if !args.per_folder {
        return review(&args, &args.paths).map(ExitCode::from);
    }
    if !matches!(args.format, Format::Text) {
        return Err("--per-folder prints text reports only".into());
    }
    let mut worst = 0u8;
    for folder in folders_of(&args.paths) {
        println!("== {} ==", folder.display());
        let code = review(&args, std::slice::from_ref(&folder)).unwrap_or_else(|msg| {
            eprintln!("planlens: {msg}");
            2
        });
        println!();
        worst = worst.max(code);
    }
    Ok(ExitCode::from(worst))
}

/// The folders holding the given files (a folder stands for itself), each once, sorted.
fn folders_of(paths: &[PathBuf]) -> Vec<PathBuf> {
    let set: std::collections::BTreeSet<PathBuf> = paths
        .iter()
        .map(|p| {
            if p.is_dir() {
                return p.clone();
            }
            match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            }
        })
        .collect();
    set.into_iter().collect()
}

/// Reviews `paths` as one configuration, prints the report; returns the exit code.
fn review(args: &CheckArgs, paths: &[PathBuf]) -> Result<u8, String> {
    let baseline = match &args.baseline {
        Some(path) => Some(
            Baseline::from_json(&read_text(path)?)
                .map_err(|e| format!("{}: {e}", path.display()))?,
        ),
        None => None,
    };
    let Inputs { files, shown, .. } = read_inputs(paths)?;
    let sarif = report::SarifOptions { paths: shown };
    let mut config = load_config(args.config.as_deref(), &paths[0])?;
    if let Some(path) = &args.ignore {
        let text = read_text(path)?;
        let list = Config::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        config.suppressions.extend(list.suppressions);
    }
    let options = Options {
        config,
        now: Some(args.now.clone().unwrap_or_else(today)),
    };
    let model = engine::input::load_owned(files);
    let mut report = engine::analyse(&model, &options);
    if let Some(b) = &baseline {
        baseline::mark(&mut report, b);
        baseline::hide(&mut report);
    }
    if let Some(path) = &args.write_baseline {
        let written = Baseline::of(&report);
        std::fs::write(path, written.to_json()).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!(
            "planlens: wrote the baseline of {} finding{} to {}",
            written.findings.len(),
            if written.findings.len() == 1 { "" } else { "s" },
            path.display()
        );
    }
    let export_options = ExportOptions {
        fail_on: args.fail_on,
        sarif,
        now: options.now.clone(),
    };
    let export = |format| report::export(&report, format, &export_options).text;
    let out = match args.format {
        Format::Text => report::render_text(&report, &model),
        Format::Json => export(ExportFormat::Json),
        Format::Sarif => export(ExportFormat::Sarif),
        Format::Markdown => export(ExportFormat::Markdown),
        Format::Csv => export(ExportFormat::Csv),
        Format::Gitlab => export(ExportFormat::Gitlab),
        Format::Junit => export(ExportFormat::Junit),
    };
    print!("{out}");
    if let Some(base) = &args.permalink {
        let mut payload = Payload::new(&report, &options);
        if args.permalink_with_input {
            if let Err(e) = payload.attach_input(&model) {
                eprintln!("planlens: {e}");
            }
        }
        eprintln!("{}", permalink::link(base, &payload));
    }
    if report.has_input_errors() {
        for e in report.errors() {
            eprintln!("planlens: {e}");
        }
        return Ok(2);
    }
    let failing = report.worst().is_some_and(|w| w >= args.fail_on);
    Ok(u8::from(failing))
}

/// The files of the paths given, with the modules they call.
struct Inputs {
    files: Vec<SourceFile>,
    /// Each file's path relative to the working directory (SARIF, diffs).
    shown: std::collections::BTreeMap<String, String>,
    /// Where each file is on disk.
    disk: std::collections::HashMap<String, PathBuf>,
}

fn read_inputs(paths: &[PathBuf]) -> Result<Inputs, String> {
    let mut inputs = Inputs {
        files: Vec::new(),
        shown: Default::default(),
        disk: Default::default(),
    };
    for p in paths {
        let before = inputs.files.len();
        collect(p, p, &mut inputs.files)?;
        read_modules(p, &mut inputs.files, before)?;
        for f in &inputs.files[before..] {
            inputs
                .shown
                .insert(f.path.clone(), repository_path(p, &f.path));
            let on_disk = if p.is_dir() {
                p.join(&f.path)
            } else {
                p.clone()
            };
            inputs.disk.insert(f.path.clone(), on_disk);
        }
    }
    if inputs.files.is_empty() {
        return Err("no Terraform files found (looked for .json, .tf, .tf.json, .tfvars)".into());
    }
    Ok(inputs)
}

/// `planlens fix`: applies the selected fixes, writes the files (or prints the diff), and
/// reports what the review finds afterwards.
fn fix(args: FixArgs) -> Result<ExitCode, String> {
    let Inputs { files, shown, disk } = read_inputs(&args.paths)?;
    if !files.iter().any(|f| f.path.ends_with(".tf")) {
        return Err("fixes edit .tf files, and none was given (plan JSON has no source text to change: run planlens fix on the configuration)".into());
    }
    let options = Options {
        config: load_config(args.config.as_deref(), &args.paths[0])?,
        now: Some(today()),
    };
    let selection = engine::fix::Selection {
        unsafe_fixes: args.unsafe_fixes,
        rules: args.rules.clone(),
        findings: None,
    };
    let outcome = engine::fix::fix_all(files, &options, &selection);
    let show = |p: &str| shown.get(p).cloned().unwrap_or_else(|| p.to_string());
    if args.dry_run {
        print!("{}", engine::fix::unified_diff(&outcome.changed, show));
    } else {
        for (path, _, new) in &outcome.changed {
            let target = disk
                .get(path)
                .ok_or_else(|| format!("{path}: not read from disk"))?;
            std::fs::write(target, new).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    let out = if args.dry_run {
        &mut std::io::stderr() as &mut dyn std::io::Write
    } else {
        &mut std::io::stdout()
    };
    let _ = write!(
        out,
        "{}",
        fix_summary(&outcome, args.dry_run, args.unsafe_fixes)
    );
    if outcome.report.has_input_errors() {
        for e in outcome.report.errors() {
            eprintln!("planlens: {e}");
        }
        return Ok(ExitCode::from(2));
    }
    let failing = outcome.report.worst().is_some_and(|w| w >= args.fail_on);
    Ok(ExitCode::from(u8::from(failing)))
}

/// What `planlens fix` did and what is left.
fn fix_summary(outcome: &engine::fix::Outcome, dry_run: bool, unsafe_fixes: bool) -> String {
    use engine::fix::Safety;
    let mut s = String::new();
    let verb = if dry_run { "Would apply" } else { "Applied" };
    let n = outcome.applied.len();
    let unsafe_n = outcome
        .applied
        .iter()
        .filter(|a| a.safety == Safety::Unsafe)
        .count();
    s.push_str(&format!(
        "{verb} {n} fix{} ({} safe, {unsafe_n} unsafe) to {} file{}.\n",
        if n == 1 { "" } else { "es" },
        n - unsafe_n,
        outcome.changed.len(),
        if outcome.changed.len() == 1 { "" } else { "s" },
    ));
    for a in &outcome.applied {
        s.push_str(&format!(
            "  {} [{}] {}\n",
            a.rule,
            a.safety.as_str(),
            a.description
        ));
    }
    let left: Vec<&rules::Finding> = outcome
        .report
        .findings
        .iter()
        .filter(|f| f.counts())
        .collect();
    let with_unsafe = left
        .iter()
        .filter(|f| f.fix.as_ref().is_some_and(|x| x.safety == Safety::Unsafe))
        .count();
    s.push_str(&format!(
        "Left after fixing: {} finding{}",
        left.len(),
        if left.len() == 1 { "" } else { "s" }
    ));
    if with_unsafe > 0 && !unsafe_fixes {
        s.push_str(&format!(
            " ({with_unsafe} with an unsafe fix: --unsafe applies them)"
        ));
    }
    s.push_str(if left.is_empty() { ".\n" } else { ":\n" });
    for f in &left {
        let fix = match &f.fix {
            Some(x) if x.safety == Safety::Safe => " [safe fix, not selected]".to_string(),
            Some(x) => format!(" [unsafe fix: {}]", x.consequence.as_deref().unwrap_or("")),
            None => " [no mechanical fix]".to_string(),
        };
        s.push_str(&format!(
            "  {} {} {}{fix}\n",
            f.rule,
            f.severity,
            f.address.as_deref().unwrap_or(&f.message)
        ));
    }
    s
}

fn load_config(explicit: Option<&Path>, first: &Path) -> Result<Config, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let dir = if first.is_dir() {
                first.to_path_buf()
            } else {
                first.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            let candidate = dir.join("planlens.toml");
            if !candidate.is_file() {
                return Ok(Config::default());
            }
            candidate
        }
    };
    let text = read_text(&path)?;
    Config::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads a file, or a folder's Terraform files recursively (skipping `.terraform/` and
/// hidden folders). Paths are kept relative to the folder given, so module sources
/// (`./modules/kms`) resolve and SARIF URIs are relative.
fn collect(root: &Path, path: &Path, out: &mut Vec<SourceFile>) -> Result<(), String> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if !name.starts_with('.') {
                    collect(root, &p, out)?;
                }
            } else if is_terraform_file(name) {
                push_file(root, &p, out)?;
            }
        }
        Ok(())
    } else {
        push_file(root, path, out)
    }
}

/// Terraform files in a folder (not below it): what Terraform reads as one module.
fn is_terraform_file(name: &str) -> bool {
    [".tf", ".tf.json", ".tfvars", ".tfvars.json"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// Most module folders read from outside the paths given, for one path: a bound on what a
/// malformed or hostile module tree can make the CLI read.
const MAX_MODULE_DIRS: usize = 1000;

/// Follows module calls as `terraform init` does: reads `.terraform/modules/modules.json`
/// where the folder has one, then every folder a module call leads to whose files are not
/// loaded yet (`source = "../../"`, the folders modules.json names), until none is left.
/// Each folder is read once, so a cycle of local modules ends (the engine names it); a
/// folder that does not exist is left to the engine to report as an unread module.
fn read_modules(root: &Path, files: &mut Vec<SourceFile>, from: usize) -> Result<(), String> {
    if !root.is_dir() {
        return Ok(());
    }
    let manifest = root.join(".terraform/modules/modules.json");
    if manifest.is_file() {
        push_file(root, &manifest, files)?;
    }
    let mut tried = std::collections::HashSet::new();
    loop {
        let wanted = engine::input::wanted_module_dirs(&files[from..]);
        let new: Vec<String> = wanted
            .into_iter()
            .filter(|d| tried.insert(d.clone()))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        if tried.len() > MAX_MODULE_DIRS {
            return Err(format!(
                "{}: module calls lead to more than {MAX_MODULE_DIRS} folders; planlens stops following them",
                root.display()
            ));
        }
        for dir in new {
            let path = root.join(&dir);
            let Ok(entries) = std::fs::read_dir(&path) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| is_terraform_file(n))
                .collect();
            names.sort();
            for name in names {
                let bytes = std::fs::read(path.join(&name))
                    .map_err(|e| format!("{}: {e}", path.join(&name).display()))?;
                let shown = if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                };
                files.push(SourceFile::new(shown, bytes));
            }
        }
    }
}

fn push_file(root: &Path, path: &Path, out: &mut Vec<SourceFile>) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = if root.is_dir() {
        path.strip_prefix(root).unwrap_or(path)
    } else {
        path
    };
    out.push(SourceFile::new(
        name.to_string_lossy().replace('\\', "/"),
        bytes,
    ));
    Ok(())
}

/// Where an input file sits relative to the working directory (the repository root in
/// CI), for SARIF: `planlens check infra/` names its files `main.tf`, but GitHub needs
/// `infra/main.tf`. Absolute paths outside the working directory stay absolute.
fn repository_path(arg: &Path, name: &str) -> String {
    let full = if arg.is_dir() {
        arg.join(name)
    } else {
        arg.to_path_buf()
    };
    let relative = match std::env::current_dir() {
        Ok(cwd) if full.is_absolute() => full
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or(full),
        _ => full,
    };
    // `examples/complete` + `../../main.tf` (a module read from outside the folder given)
    // is `main.tf`: `..` steps back over a folder where there is one.
    let mut prefix = String::new();
    let mut parts: Vec<String> = Vec::new();
    for c in relative.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => prefix.push('/'),
            Component::Prefix(p) => prefix.push_str(&p.as_os_str().to_string_lossy()),
            Component::ParentDir => {
                if parts.last().is_some_and(|l| l != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
        }
    }
    prefix + &parts.join("/")
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock: the engine has none.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_786), (2026, 11, 29));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
