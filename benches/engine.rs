//! Engine benchmark: parse + model build, and the full review, on generated plans and HCL
//! trees, against a bare `serde_json::from_slice::<serde_json::Value>` of the same bytes.
//!
//! ```text
//! for n in 1000 10000 50000; do python3 bench/gen.py $n bench/out; done
//! cargo bench --bench engine                      # every bench/out/plan-*.json and hcl-*/
//! cargo bench --bench engine -- bench/out/plan-10000.json --runs 5
//! cargo bench --bench engine -- bench/out/plan-10000.json --phases   # where the time goes
//! ```
//!
//! Peak memory is counted by a global allocator that tracks live heap bytes: the figure is
//! the highest live heap during a phase, including the input bytes the caller holds, so
//! "× input" compares with what a browser tab or CI runner needs on top of the file.
//! Times are medians over `--runs` runs (default 5, 3 for inputs over 50 MB).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use planlens::engine::{self, input, metrics, report, rules, stores, Options, SourceFile};

/// Counts live heap bytes and remembers the highest count since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; the counters only
// observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

fn grow(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` `runs` times; the median time and the highest live heap seen during any run.
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, usize, T) {
    measure_with(runs, || (), |()| f())
}

/// As [`measure`], giving `f` what `setup` makes, untimed: the engine's owned entry points
/// take a copy of the input, as the CLI and the page's worker hand over what they read.
fn measure_with<S, T>(
    runs: usize,
    mut setup: impl FnMut() -> S,
    mut f: impl FnMut(S) -> T,
) -> (Duration, usize, T) {
    let mut times = Vec::with_capacity(runs);
    let mut peak = 0;
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let given = setup();
        PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        let start = Instant::now();
        let out = f(given);
        times.push(start.elapsed());
        peak = peak.max(PEAK.load(Ordering::Relaxed));
        last = Some(out);
    }
    times.sort();
    let out = last.expect("at least one run");
    (times[times.len() / 2], peak, out)
}

/// The input's files: one plan, or every Terraform file under a folder.
fn read_input(path: &Path) -> Vec<SourceFile> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                walk(root, &e, out);
            } else if e.extension().is_some_and(|x| x == "tf" || x == "json") {
                let rel = e
                    .strip_prefix(root)
                    .unwrap_or(&e)
                    .to_string_lossy()
                    .into_owned();
                let bytes = std::fs::read(&e).unwrap_or_else(|err| panic!("{rel}: {err}"));
                out.push(SourceFile::new(rel, bytes));
            }
        }
    }
    if path.is_dir() {
        let mut out = Vec::new();
        walk(path, path, &mut out);
        out
    } else {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        vec![SourceFile::new(path.to_string_lossy().into_owned(), bytes)]
    }
}

struct Row {
    name: String,
    bytes: usize,
    resources: usize,
    findings: usize,
    serde: Option<(Duration, usize)>,
    load: (Duration, usize),
    check: (Duration, usize),
    render: Duration,
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn mb(n: usize) -> f64 {
    n as f64 / (1024.0 * 1024.0)
}

fn bench(path: &Path, runs: Option<usize>) -> Row {
    let files = read_input(path);
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    let runs = runs.unwrap_or(if bytes > 50 << 20 { 3 } else { 5 });
    let is_plan = files.len() == 1 && path.extension().is_some_and(|x| x == "json");
    let serde = is_plan.then(|| {
        let (t, peak, v) = measure(runs, || {
            serde_json::from_slice::<serde_json::Value>(&files[0].bytes).expect("valid JSON")
        });
        drop(v);
        (t, peak)
    });
    // The owned entry points (what the CLI and the worker call) take their copy of the
    // input: the bench's own copy is not counted in their peak.
    let (load_t, load_peak, model) = measure_with(runs, || files.clone(), input::load_owned);
    let load_peak = load_peak - bytes;
    let resources = model.resources.len();
    if !model.errors.is_empty() {
        eprintln!("{}: input errors: {:?}", path.display(), &model.errors[..1]);
    }
    drop(model);
    let options = Options {
        now: Some("2026-11-01".into()),
        ..Options::default()
    };
    let (check_t, check_peak, report) = measure_with(
        runs,
        || files.clone(),
        |given| engine::check_owned(given, &options),
    );
    let check_peak = check_peak - bytes;
    let (render, _, text) = measure(runs, || {
        report::export(
            &report,
            report::ExportFormat::Json,
            &report::ExportOptions::default(),
        )
        .text
    });
    drop(text);
    Row {
        name: path.display().to_string(),
        bytes,
        resources,
        findings: report.findings.len(),
        serde,
        load: (load_t, load_peak),
        check: (check_t, check_peak),
        render,
    }
}

/// One run of each stage of [`engine::check`], and of every rule, timed separately: which
/// part (and so which module's owner) a slow review should send you to.
fn phases(path: &Path) {
    let files = read_input(path);
    let options = Options {
        now: Some("2026-11-01".into()),
        ..Options::default()
    };
    let mut rows: Vec<(String, Duration, usize, usize)> = Vec::new();
    // Runs one stage: its time, the highest live heap during it, and the live heap after.
    fn stage<T>(
        rows: &mut Vec<(String, Duration, usize, usize)>,
        name: &str,
        f: impl FnOnce() -> T,
    ) -> T {
        PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        let t = Instant::now();
        let out = f();
        let took = t.elapsed();
        rows.push((
            name.into(),
            took,
            PEAK.load(Ordering::Relaxed),
            LIVE.load(Ordering::Relaxed),
        ));
        out
    }
    let input_bytes = LIVE.load(Ordering::Relaxed);
    let model = stage(&mut rows, "input::load", || input::load_owned(files));
    let analysis = stage(&mut rows, "stores::analyse", || {
        stores::analyse(&model, &options.config)
    });
    let access = stage(&mut rows, "access::analyse", || {
        planlens::engine::access::analyse(&model, &analysis)
    });
    let cx = rules::Context {
        model: &model,
        analysis: &analysis,
        access: &access,
        options: &options,
    };
    let mut per_rule: Vec<(Duration, &str, usize)> = rules::registry()
        .iter()
        .map(|r| {
            let mut out = Vec::new();
            PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
            let t = Instant::now();
            (r.check)(&cx, &mut out);
            (t.elapsed(), r.id, PEAK.load(Ordering::Relaxed))
        })
        .collect();
    let findings = stage(
        &mut rows,
        "rules::run (rules + suppressions + sort)",
        || rules::run(&cx),
    );
    let metrics = stage(&mut rows, "metrics::compute", || {
        metrics::compute(&cx, &findings)
    });
    let report = stage(&mut rows, "Report::build", || {
        report::Report::build(&model, analysis.clone(), findings, metrics)
    });
    let text = stage(&mut rows, "export json", || {
        report::export(
            &report,
            report::ExportFormat::Json,
            &report::ExportOptions::default(),
        )
        .text
    });
    drop(text);
    per_rule.sort_by(|a, b| b.cmp(a));
    println!(
        "\n{}: phases (one run; input {:.0} MB live before)\n",
        path.display(),
        mb(input_bytes)
    );
    println!("| phase | ms | peak heap MB | live heap after MB |\n|---|---|---|---|");
    for (name, took, peak, live) in &rows {
        println!(
            "| {name} | {} | {:.0} | {:.0} |",
            ms(*took),
            mb(*peak),
            mb(*live)
        );
        if name.starts_with("rules::run") {
            for (d, id, peak) in per_rule.iter().take(6) {
                println!("| &nbsp;&nbsp;{id} | {} | {:.0} | |", ms(*d), mb(*peak));
            }
            let (_, id, peak) = per_rule.iter().max_by_key(|r| r.2).expect("rules");
            println!(
                "| &nbsp;&nbsp;(highest peak: {id}) | | {:.0} | |",
                mb(*peak)
            );
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    let mut runs = None;
    let mut by_phase = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()),
            // cargo bench passes --bench to harness-less benches
            "--bench" => {}
            "--phases" => by_phase = true,
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/out");
        let mut found: Vec<(usize, PathBuf)> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let n = name
                    .strip_prefix("plan-")
                    .and_then(|s| s.strip_suffix(".json"))
                    .or_else(|| name.strip_prefix("hcl-"))?
                    .parse()
                    .ok()?;
                Some((n, e.path()))
            })
            .collect();
        found.sort();
        paths = found.into_iter().map(|(_, p)| p).collect();
    }
    if paths.is_empty() {
        eprintln!("no inputs: run `python3 bench/gen.py 10000 bench/out` first, or pass files");
        std::process::exit(2);
    }
    if by_phase {
        for p in &paths {
            phases(p);
        }
        return;
    }
    println!(
        "| input | MB | resources | findings | serde_json::Value ms | load ms | check ms | render json ms | check MB/s | resources/s | check ÷ serde | peak heap MB (load / check) | peak ÷ input |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for p in &paths {
        let r = bench(p, runs);
        let secs = r.check.0.as_secs_f64();
        let ratio = r
            .serde
            .map(|(t, _)| format!("{:.2}×", secs / t.as_secs_f64()))
            .unwrap_or_else(|| "—".into());
        println!(
            "| {} | {:.1} | {} | {} | {} | {} | {} | {} | {:.1} | {:.0} | {} | {:.0} / {:.0} | {:.2}× |",
            r.name,
            mb(r.bytes),
            r.resources,
            r.findings,
            r.serde.map(|(t, _)| ms(t)).unwrap_or_else(|| "—".into()),
            ms(r.load.0),
            ms(r.check.0),
            ms(r.render),
            mb(r.bytes) / secs,
            r.resources as f64 / secs,
            ratio,
            mb(r.load.1),
            mb(r.check.1),
            r.check.1 as f64 / r.bytes as f64,
        );
    }
}
