//! Hostile input through the whole engine (`engine::check`): every file under
//! `tests/hostile/` and inputs generated here at run time (deep nesting, a 10 MB string,
//! 100k attributes, a huge `for_each` literal, a 200 MB plan). Each must end in a report
//! or a clean, positioned error — never a panic, a stack overflow or a hang — within a
//! time bound, on a 1 MiB stack (about what a browser gives WebAssembly).
//!
//! The heavy cases are `#[ignore]`d in debug builds; `make test` runs them in release:
//!
//! ```text
//! cargo test --release --test hostile -- --ignored
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use planlens::engine::report::{self, ExportFormat, ExportOptions, Report};
use planlens::engine::{self, Options, SourceFile};

/// Runs `f` on a thread with a 1 MiB stack and fails if it panics (a stack overflow
/// aborts the test binary, which fails the run just as loudly) or exceeds `limit`.
fn bounded<T: Send + 'static>(
    name: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let start = Instant::now();
    let out = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .unwrap_or_else(|_| panic!("{name}: the engine panicked"));
    let took = start.elapsed();
    assert!(took < limit, "{name}: took {took:?}, limit {limit:?}");
    out
}

/// Debug builds are 10–30× slower than release; bounds are generous for them and still
/// catch a hang or a quadratic blow-up.
fn limit(secs: u64) -> Duration {
    Duration::from_secs(if cfg!(debug_assertions) {
        secs
    } else {
        secs.div_ceil(5).max(2)
    })
}

fn check(name: &str, files: Vec<SourceFile>, secs: u64) -> Report {
    let report = bounded(name, limit(secs), move || {
        engine::check(&files, &Options::default())
    });
    // Every output renders, and the JSON ones parse.
    for format in [
        ExportFormat::Json,
        ExportFormat::Sarif,
        ExportFormat::Markdown,
        ExportFormat::Csv,
    ] {
        let text = report::export(&report, format, &ExportOptions::default()).text;
        if matches!(format, ExportFormat::Json | ExportFormat::Sarif) {
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{name}: {format:?} output is not JSON: {e}"));
        }
    }
    report
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

fn read(rel: &str) -> SourceFile {
    let bytes = std::fs::read(corpus().join(rel)).expect(rel);
    SourceFile::new(rel, bytes)
}

fn errors(report: &Report) -> Vec<String> {
    report.errors().map(|e| e.to_string()).collect()
}

/// The single input error of a report, which must name a line and column when `positioned`.
fn one_error(name: &str, report: &Report, positioned: bool) -> String {
    let errs: Vec<_> = report.errors().collect();
    assert_eq!(errs.len(), 1, "{name}: {errs:?}");
    if positioned {
        assert!(
            errs[0].line.is_some() && errs[0].column.is_some(),
            "{name}: {:?}",
            errs[0]
        );
    }
    errs[0].message.clone()
}

#[test]
fn malformed_files_give_one_clear_error() {
    let cases: [(&str, bool, &str); 11] = [
        ("truncated.plan.json", true, "invalid JSON"),
        ("truncated.tf", true, ""),
        ("truncated.tf.json", true, ""),
        ("invalid-utf8.plan.json", false, "not UTF-8"),
        ("invalid-utf8.tf", false, "not UTF-8"),
        ("nul.tf", false, "NUL byte"),
        ("nul.plan.json", false, "NUL byte"),
        ("utf16-odd.plan.json", false, "odd number of bytes"),
        ("utf16-lone-surrogate.tf", false, "invalid UTF-16"),
        ("empty.plan.json", false, "empty"),
        ("wrong-shapes.plan.json", false, ""),
    ];
    for (name, positioned, needle) in cases {
        let report = check(name, vec![read(name)], 10);
        if name == "wrong-shapes.plan.json" {
            // Valid JSON whose sections have other shapes: read what can be read.
            assert!(report.resources.is_empty(), "{name}");
            continue;
        }
        let message = one_error(name, &report, positioned);
        assert!(message.contains(needle), "{name}: {message}");
        assert!(report.has_input_errors());
    }
}

#[test]
fn one_broken_file_does_not_hide_the_others() {
    let good = SourceFile::new(
        "ok.tf",
        "resource \"aws_s3_bucket\" \"ok\" {\n  bucket = \"ok\"\n}\n",
    );
    let report = check(
        "mixed",
        vec![read("truncated.tf"), read("nul.plan.json"), good],
        10,
    );
    assert_eq!(report.errors().count(), 2, "{:?}", errors(&report));
    let addrs: Vec<_> = report
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(addrs, ["aws_s3_bucket.ok"]);
}

#[test]
fn cycles_in_locals_and_modules_end() {
    let r = check("cyclic-locals.tf", vec![read("cyclic-locals.tf")], 10);
    assert_eq!(r.resources.len(), 1, "{:?}", errors(&r));
    let r = check(
        "cycle-modules",
        vec![
            read("cycle-modules/a/main.tf"),
            read("cycle-modules/b/main.tf"),
        ],
        10,
    );
    assert!(!r.resources.is_empty());
    let r = check("self-module.tf", vec![read("self-module.tf")], 10);
    assert!(!r.resources.is_empty());
}

/// Addresses, names and tags carrying HTML/JS and terminal escapes come out verbatim in
/// JSON (which a consumer must escape for its own context) and neutralised in Markdown.
#[test]
fn hostile_strings_stay_data() {
    let script = "<script>alert(\"x\")</script>";
    for name in ["html-names.plan.json", "html-names.tf"] {
        let report = check(name, vec![read(name)], 10);
        assert!(report.errors().next().is_none(), "{:?}", errors(&report));
        let json = report::export(&report, ExportFormat::Json, &ExportOptions::default()).text;
        let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let text = doc.to_string();
        if name.ends_with(".json") {
            let addr = format!("aws_s3_bucket.{script}");
            assert!(
                doc["resources"]
                    .as_array()
                    .expect("resources")
                    .iter()
                    .any(|r| r["address"] == addr.as_str()),
                "{name}: the address is not verbatim"
            );
            assert!(text.contains("onerror=alert(1)"), "{name}");
        }
        let md = report::export(&report, ExportFormat::Markdown, &ExportOptions::default()).text;
        for line in unfenced(&md) {
            for raw in ["<script", "<img", "<b>"] {
                // `\<` renders as a literal `<` on GitHub.
                let unescaped = line
                    .match_indices(raw)
                    .any(|(i, _)| !line[..i].ends_with('\\'));
                assert!(!unescaped, "{name}: Markdown carries raw {raw}: {line}");
            }
        }
    }
}

/// Markdown lines outside fenced code blocks (inside them, GitHub shows text as is).
fn unfenced(md: &str) -> Vec<&str> {
    let mut fence: Option<usize> = None;
    let mut out = Vec::new();
    for line in md.lines() {
        let ticks = line.trim_start().chars().take_while(|&c| c == '`').count();
        match fence {
            Some(n) if ticks >= n => fence = None,
            Some(_) => {}
            None if ticks >= 3 => fence = Some(ticks),
            None => out.push(line),
        }
    }
    out
}

/// The text report goes to a terminal: an escape sequence in a tag or name must not reach
/// it raw (it could clear the screen or forge output lines in a CI log).
#[test]
fn text_report_strips_terminal_escapes() {
    let files = vec![read("html-names.plan.json")];
    let model = engine::input::load(&files);
    let report = engine::analyse(&model, &Options::default());
    let text = report::render_text(&report, &model);
    assert!(!text.contains('\u{1b}'), "raw ESC in the text report");
}

/// A CSV opened in a spreadsheet runs cells that start with `=`, `+`, `-` or `@`.
#[test]
fn csv_cells_cannot_start_formulas() {
    let report = check(
        "html-names.plan.json",
        vec![read("html-names.plan.json")],
        10,
    );
    let csv = report::export(&report, ExportFormat::Csv, &ExportOptions::default()).text;
    for cell in csv.split([',', '\n']) {
        let cell = cell.trim_start_matches('"');
        assert!(
            !cell.starts_with(['=', '+', '@']),
            "formula cell in CSV: {cell}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Generated at run time

fn plan_with_values(values: &str) -> String {
    format!(
        r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[{{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{values}}}]}}}},"resource_changes":[]}}"#
    )
}

#[test]
fn deep_nesting_is_an_error_not_an_overflow() {
    let n = 100_000;
    let deep = format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    let cases = [
        (
            "values.plan.json",
            plan_with_values(&format!("{{\"x\":{deep}}}")),
        ),
        (
            "objects.plan.json",
            plan_with_values(&format!("{{\"x\":{deep_obj}}}")),
        ),
        // In a field the adapter skips rather than reads.
        (
            "ignored.plan.json",
            format!("{{\"planned_values\":{{}},\"junk\":{deep}}}"),
        ),
        (
            "config.plan.json",
            format!("{{\"planned_values\":{{}},\"configuration\":{deep_obj}}}"),
        ),
        ("deep.tf.json", format!("{{\"resource\":{deep}}}")),
        (
            "deep.tf",
            format!("resource \"a\" \"b\" {{\n  x = {deep}\n}}\n"),
        ),
        ("blocks.tf", "a {\n".repeat(n)),
    ];
    for (name, text) in cases {
        let report = check(name, vec![SourceFile::new(name, text)], 10);
        let message = one_error(name, &report, true);
        assert!(
            message.contains("recursion limit") || message.contains("nesting deeper"),
            "{name}: {message}"
        );
    }
}

#[test]
fn ten_megabyte_string() {
    let big = "x".repeat(10 << 20);
    let plan = plan_with_values(&format!(
        "{{\"bucket\":\"b\",\"tags\":{{\"data-class\":\"pii\",\"note\":\"{big}\"}}}}"
    ));
    let r = check(
        "big-string.plan.json",
        vec![SourceFile::new("big-string.plan.json", plan)],
        60,
    );
    assert_eq!(r.resources.len(), 1, "{:?}", errors(&r));
    assert!(r.errors().next().is_none());
    let tf = format!(
        "resource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"b\"\n  tags = {{\n    note = \"{big}\"\n  }}\n}}\n"
    );
    let r = check(
        "big-string.tf",
        vec![SourceFile::new("big-string.tf", tf)],
        // hcl-edit reads a 10 MB string in ~1.5 s in release, 20-40 s in debug under load
        120,
    );
    assert_eq!(r.resources.len(), 1, "{:?}", errors(&r));
    assert!(r.errors().next().is_none(), "{:?}", errors(&r));
}

#[test]
fn a_resource_with_100k_attributes() {
    let n = 100_000;
    let attrs: Vec<String> = (0..n).map(|i| format!("\"a{i}\":\"v{i}\"")).collect();
    let plan = plan_with_values(&format!("{{{}}}", attrs.join(",")));
    let r = check(
        "wide.plan.json",
        vec![SourceFile::new("wide.plan.json", plan)],
        20,
    );
    assert_eq!(r.resources.len(), 1, "{:?}", errors(&r));
    let mut tf = String::from("resource \"aws_s3_bucket\" \"b\" {\n");
    for i in 0..n {
        tf.push_str(&format!("  a{i} = \"v{i}\"\n"));
    }
    tf.push_str("}\n");
    let r = check("wide.tf", vec![SourceFile::new("wide.tf", tf)], 60);
    assert_eq!(r.resources.len(), 1, "{:?}", errors(&r));
}

/// 20,000 keys: twice the instance cap. Not 100,000: hcl-edit 0.10's parser inserts each
/// key of an object literal with a linear duplicate scan (`Object::insert` → `VecMap`), so
/// 100k keys take 94 s in release before planlens sees them; 20k take 2 s (16 s debug).
#[test]
fn for_each_over_a_huge_literal() {
    let n = 20_000;
    let mut tf = String::from("resource \"aws_s3_bucket\" \"b\" {\n  for_each = {\n");
    for i in 0..n {
        tf.push_str(&format!("    k{i} = \"v{i}\"\n"));
    }
    tf.push_str("  }\n  bucket = each.value\n}\n");
    let r = check("for-each.tf", vec![SourceFile::new("for-each.tf", tf)], 90);
    // Instances are capped (the HCL adapter's MAX_INSTANCES), with an error saying so.
    assert!(
        r.resources.len() <= 10_000,
        "{} resources",
        r.resources.len()
    );
    assert!(!errors(&r).is_empty(), "no error about the cap");
}

/// A realistic plan of about 200 MB: one bucket + SSE configuration + KMS key per unit,
/// repeated, with resource_changes, planned values and configuration.
fn big_plan(target_bytes: usize) -> String {
    let mut changes = Vec::new();
    let mut planned = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < target_bytes {
        let tags = format!(
            r#"{{"data-class":"pii","tenant":"t{i}","owner":"team-{}","description":"{}"}}"#,
            i % 13,
            "d".repeat(400)
        );
        let bucket = format!(
            r#"{{"bucket":"bucket-{i}","force_destroy":false,"tags":{tags},"tags_all":{tags},"arn":null,"id":null}}"#
        );
        let sse = format!(
            r#"{{"bucket":"bucket-{i}","rule":[{{"apply_server_side_encryption_by_default":[{{"sse_algorithm":"aws:kms","kms_master_key_id":null}}],"bucket_key_enabled":{}}}]}}"#,
            i % 2 == 0
        );
        for (rtype, values, unknown) in [
            ("aws_s3_bucket", &bucket, r#"{"arn":true,"id":true}"#),
            (
                "aws_s3_bucket_server_side_encryption_configuration",
                &sse,
                r#"{"rule":[{"apply_server_side_encryption_by_default":[{"kms_master_key_id":true}]}]}"#,
            ),
        ] {
            let change = format!(
                r#"{{"address":"{rtype}.r{i}","mode":"managed","type":"{rtype}","name":"r{i}","provider_name":"registry.terraform.io/hashicorp/aws","change":{{"actions":["create"],"before":null,"after":{values},"after_unknown":{unknown}}}}}"#
            );
            let pv = format!(
                r#"{{"address":"{rtype}.r{i}","mode":"managed","type":"{rtype}","name":"r{i}","values":{values}}}"#
            );
            size += change.len() + pv.len();
            changes.push(change);
            planned.push(pv);
        }
        i += 1;
    }
    format!(
        r#"{{"format_version":"1.2","timestamp":"2026-11-01T00:00:00Z","planned_values":{{"root_module":{{"resources":[{}]}}}},"resource_changes":[{}],"configuration":{{"root_module":{{}}}}}}"#,
        planned.join(","),
        changes.join(",")
    )
}

#[test]
#[ignore = "200 MB: release only (`make test` runs it: cargo test --release --test hostile -- --ignored); ~10 s there"]
fn a_200_megabyte_plan() {
    let text = big_plan(200 << 20);
    let bytes = text.len();
    let expected = text.matches("\"actions\"").count();
    let r = check(
        "200mb.plan.json",
        vec![SourceFile::new("200mb.plan.json", text)],
        300,
    );
    assert!(bytes >= 200 << 20);
    assert!(r.errors().next().is_none(), "{:?}", errors(&r));
    assert_eq!(r.resources.len(), expected);
}

#[test]
#[ignore = "allocates 257 MB: release only (`make test` runs it)"]
fn a_file_over_the_size_limit_is_refused_with_its_size() {
    let mut bytes = vec![b' '; engine::input::MAX_FILE_BYTES + 1];
    bytes[0] = b'{';
    let r = check(
        "huge.plan.json",
        vec![SourceFile::new("huge.plan.json", bytes)],
        60,
    );
    let message = one_error("huge.plan.json", &r, false);
    assert!(message.contains("up to 256 MB"), "{message}");
}

#[test]
fn a_big_plan_stays_linear() {
    // 2 MB in debug: enough to catch quadratic work per resource (the 200 MB case, in
    // release, checks the absolute figure).
    let text = big_plan(2 << 20);
    let expected = text.matches("\"actions\"").count();
    let r = check(
        "2mb.plan.json",
        vec![SourceFile::new("2mb.plan.json", text)],
        30,
    );
    assert_eq!(r.resources.len(), expected);
}

/// A flat root module of 20,000 resources on one line, with their configuration: every
/// resource looks up its configuration entry and its position in the text. Both were
/// linear per resource (a scan of the module's configuration, a character count from the
/// start of the line), so quadratic in all. Now each is a hash look-up and a bounded count.
fn flat_plan(n: usize) -> String {
    let mut changes = Vec::with_capacity(n);
    let mut config = Vec::with_capacity(n);
    for i in 0..n {
        changes.push(format!(
            r#"{{"address":"aws_sqs_queue.q{i}","mode":"managed","type":"aws_sqs_queue","name":"q{i}","change":{{"actions":["create"],"before":null,"after":{{"name":"q{i}","kms_master_key_id":null}},"after_unknown":{{"kms_master_key_id":true}}}}}}"#
        ));
        config.push(format!(
            r#"{{"address":"aws_sqs_queue.q{i}","mode":"managed","type":"aws_sqs_queue","name":"q{i}","provider_config_key":"aws","expressions":{{"name":{{"constant_value":"q{i}"}},"kms_master_key_id":{{"references":["aws_kms_key.k.arn","aws_kms_key.k"]}}}}}}"#
        ));
    }
    format!(
        r#"{{"format_version":"1.2","planned_values":{{}},"resource_changes":[{}],"configuration":{{"root_module":{{"resources":[{}]}}}}}}"#,
        changes.join(","),
        config.join(",")
    )
}

#[test]
fn a_flat_module_of_20k_resources_loads_in_linear_time() {
    let n = 20_000;
    let files = vec![SourceFile::new("flat.plan.json", flat_plan(n))];
    let lines = bounded("flat.plan.json", limit(30), move || {
        let model = engine::input::load(&files);
        assert!(model.errors.is_empty(), "{:?}", model.errors);
        let refs_ok = model
            .resources
            .iter()
            .all(|r| r.refs("kms_master_key_id") == ["aws_kms_key.k"]);
        assert!(refs_ok, "configuration references not attached");
        // Every resource has a position: its entry in the one-line text.
        model
            .resources
            .iter()
            .map(|r| r.span_of("").and_then(|s| model.position(s)).map(|p| p.1))
            .collect::<Vec<_>>()
    });
    assert_eq!(lines.len(), n);
    assert!(lines.iter().all(|l| *l == Some(1)));
}

#[test]
fn a_flat_module_of_20k_resources_checks_in_linear_time() {
    let text = flat_plan(20_000);
    let r = check(
        "flat.plan.json",
        vec![SourceFile::new("flat.plan.json", text)],
        60,
    );
    assert_eq!(r.resources.len(), 20_000);
}
