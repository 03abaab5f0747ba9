use super::*;
use crate::engine::category::{Category, Level};
use crate::engine::config::{Config, Suppression};
use crate::engine::report::permalink::InputText;
use crate::engine::{self, input};
use crate::view::hierarchy::{blast_radius, layout, summary as hierarchy_summary, Toggled};
use crate::view::matrix::{cell_stores, matrix, Column, RowKey};

const BASE: &str = "https://planlens.example/tools/planlens/";

fn example() -> (Vec<SourceFile>, Model, Report) {
    let sources = vec![SourceFile::new(
        crate::example::NAME,
        crate::example::PLAN.as_bytes(),
    )];
    let model = input::load(&sources);
    let report = engine::analyse(&model, &Options::default());
    (sources, model, report)
}

#[test]
fn the_base_is_the_page_without_query_or_fragment() {
    assert_eq!(
        base_url("http://127.0.0.1:8080/planlens/#v1.abc"),
        "http://127.0.0.1:8080/planlens/"
    );
    assert_eq!(
        base_url("http://h/app/index.html?x=1#example"),
        "http://h/app/index.html"
    );
    assert_eq!(base_url("http://h/"), "http://h/");
}

#[test]
fn only_v_fragments_are_opened() {
    assert!(is_permalink("#v1.eNq"));
    assert!(is_permalink("#v9.x"));
    assert!(!is_permalink("#example"));
    assert!(!is_permalink(""));
    assert!(
        !is_permalink("v1.abc"),
        "location.hash always starts with #"
    );
}

#[test]
fn lengths_are_grouped_and_judged_against_the_codec_limits() {
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(1000), "1,000");
    assert_eq!(grouped(2_097_152), "2,097,152");
    assert_eq!(link_size(MAX_SHARE_CHARS), LinkSize::Fine);
    assert_eq!(link_size(MAX_SHARE_CHARS + 1), LinkSize::Long);
    assert_eq!(link_size(MAX_FRAGMENT_CHARS + 1), LinkSize::Unreadable);
    let (text, note) = length_text(&"x".repeat(1234));
    assert_eq!((text.as_str(), note), ("1,234 characters", None));
    let (_, note) = length_text(&"x".repeat(MAX_SHARE_CHARS + 5));
    assert!(note.unwrap().contains("32,000"));
    let (_, note) = length_text(&"x".repeat(MAX_FRAGMENT_CHARS + 5));
    assert!(note.unwrap().starts_with("Too long to open"));
}

#[test]
fn the_example_is_offered_with_and_without_its_input() {
    let (sources, model, report) = example();
    let o = offer(BASE, &report, &Options::default(), Some(&model));
    assert!(
        o.report_only.starts_with(&format!("{BASE}#v1.")),
        "{}",
        o.report_only
    );
    let with = o
        .with_input
        .clone()
        .expect("the example fits with its input");
    assert!(with.len() > o.report_only.len());
    assert!(with.len() <= MAX_SHARE_CHARS + BASE.len() + 1);
    assert_eq!(o.input_note, None);
    assert_eq!(o.link(true), with);
    assert_eq!(o.link(false), o.report_only);

    // The report-only link opens to the same report, shown as carried.
    let opened = open(&o.report_only).unwrap();
    assert_eq!(opened.input_matches, None);
    match opened.plan() {
        Plan::Show { report: r, .. } => assert_eq!(*r, report),
        other => panic!("expected Show, got {other:?}"),
    }
    assert_eq!(opened.read_only().mode, Mode::ReportOnly);

    // The link with input re-runs on the very bytes that were reviewed.
    let opened = open(&with).unwrap();
    assert_eq!(opened.input_matches, Some(true));
    let Plan::Rerun {
        sources: again,
        options,
    } = opened.plan()
    else {
        panic!("expected Rerun");
    };
    assert_eq!(again, sources);
    assert_eq!(engine::check(&again, &options).findings, report.findings);
}

#[test]
fn the_panel_includes_the_input_by_default_when_it_fits_and_follows_the_choice() {
    let building = panel_text(None, None);
    assert_eq!((building.link.as_str(), building.can_include), ("", false));
    assert_eq!(building.status, "Building the link…");
    let failed = panel_text(Some(&Err("the worker stopped".into())), None);
    assert_eq!(failed.status, "No link: the worker stopped");

    let offer = ShareOffer {
        report_only: "https://x/#v1.short".into(),
        with_input: Some(format!("https://x/#v1.{}", "l".repeat(1200))),
        input_note: None,
    };
    let on = panel_text(Some(&Ok(offer.clone())), None);
    assert!(on.can_include && on.include);
    assert_eq!(on.link, offer.with_input.clone().unwrap());
    assert_eq!(on.status, "1,214 characters (report, settings and input).");
    assert_eq!(
        on.input_note,
        "With the input the link is 1,214 characters."
    );
    let off = panel_text(Some(&Ok(offer.clone())), Some(false));
    assert!(off.can_include && !off.include);
    assert_eq!(off.link, offer.report_only);
    assert_eq!(off.status, "19 characters (report and settings).");

    let too_big = ShareOffer {
        with_input: None,
        input_note: Some("With the input, the link would be 90000 characters".into()),
        ..offer
    };
    let t = panel_text(Some(&Ok(too_big)), Some(true));
    assert!(
        !t.can_include && !t.include,
        "a choice cannot include what does not fit"
    );
    assert_eq!(
        t.input_note,
        "With the input, the link would be 90000 characters"
    );
}

#[test]
fn the_link_carries_suppressions_and_overrides() {
    let (_, model, _) = example();
    let mut options = Options::default();
    options.config.suppressions.push(Suppression {
        rule: "KMS001".into(),
        address: Some("aws_kms_key.logs".into()),
        reason: "rotation handled by the platform team".into(),
    });
    crate::view::matrix::set_override(&mut options.config, "aws_s3_bucket.user_exports", "health");
    let report = engine::analyse(&model, &options);
    let o = offer(BASE, &report, &options, Some(&model));
    let opened = open(o.with_input.as_deref().unwrap()).unwrap();
    let Plan::Rerun {
        sources,
        options: carried,
    } = opened.plan()
    else {
        panic!("expected Rerun");
    };
    assert_eq!(carried.config, options.config);
    let again = engine::check(&sources, &carried);
    assert_eq!(again.findings, report.findings);
    let store = again
        .stores
        .iter()
        .find(|s| s.address == "aws_s3_bucket.user_exports")
        .unwrap();
    assert_eq!(
        store.category,
        Some(crate::engine::category::Category::Health)
    );
}

#[test]
fn without_the_model_or_with_too_much_input_only_the_report_is_offered() {
    let (_, _, report) = example();
    let o = offer(BASE, &report, &Options::default(), None);
    assert_eq!(o.with_input, None);
    assert!(o
        .input_note
        .as_deref()
        .unwrap()
        .contains("without its input"));
    assert_eq!(o.link(true), o.report_only);

    // Random-looking text does not compress: 64 KB of it cannot fit a 32,000-character link.
    let mut state = 0x2545_f491_u64;
    let noise: String = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect();
    let big = format!("resource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"{noise}\"\n}}\n");
    let model = input::load(&[SourceFile::new("big.tf", big.into_bytes())]);
    let report = engine::analyse(&model, &Options::default());
    let o = offer(BASE, &report, &Options::default(), Some(&model));
    assert_eq!(o.with_input, None);
    let note = o.input_note.unwrap();
    assert!(
        note.starts_with("With the input, the link would be"),
        "{note}"
    );
    assert!(note.contains("32000"), "the codec's own text: {note}");
}

#[test]
fn broken_links_fail_with_the_codecs_words() {
    let (_, model, report) = example();
    let link = offer(BASE, &report, &Options::default(), Some(&model)).report_only;
    let fragment = link.split_once('#').unwrap().1.to_string();

    let truncated = &fragment[..fragment.len() / 2];
    let e = open(truncated).unwrap_err().to_string();
    assert!(e.contains("damaged"), "{e}");

    // One changed character in the middle: the checksum (or DEFLATE itself) catches it.
    let mut forged: Vec<char> = fragment.chars().collect();
    let mid = forged.len() / 2;
    forged[mid] = if forged[mid] == 'A' { 'B' } else { 'A' };
    let forged: String = forged.into_iter().collect();
    let e = open(&forged).unwrap_err().to_string();
    assert!(e.contains("damaged"), "{e}");

    let e = open("#v9.eNqrVgpKLS7NKVGyUlAqS8wpTVWqBQA_lgYW").unwrap_err();
    assert_eq!(e, PermalinkError::UnsupportedVersion { found: "v9".into() });
    assert!(e.to_string().contains("format v9"));

    // Well-formed DEFLATE of JSON that is not a report.
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(br#"{"hello": "world"}"#, 6);
    use base64::Engine as _;
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed);
    let e = open(&format!("#v1.{body}")).unwrap_err().to_string();
    assert!(
        e.starts_with("the link's content is not a planlens report"),
        "{e}"
    );
}

#[test]
fn the_settings_the_views_show_survive_the_trip_to_the_page() {
    let mut config = Config::default();
    config.minimums.insert(Category::Operational, Level::Cmk);
    config
        .overrides
        .insert("aws_s3_bucket.x[\"<a>\"]".into(), Category::Health);
    config.suppressions.push(Suppression {
        rule: "ENC001".into(),
        address: None,
        reason: "not shown by the views".into(),
    });
    let (minimums, overrides) = shown_settings(&config);
    let back = settings_from(&minimums, &overrides);
    assert_eq!(back.minimums, config.minimums);
    assert_eq!(back.overrides, config.overrides);
    assert!(back.suppressions.is_empty());
    let junk = [["nonsense".to_string(), "cmk".to_string()]];
    assert_eq!(settings_from(&junk, &[]).minimums.len(), 0);
}

#[test]
fn edited_input_is_not_rerun() {
    let (_, model, report) = example();
    let mut payload = Payload::new(&report, &Options::default());
    payload.attach_input(&model).unwrap();
    if let Some(files) = payload.input.as_mut() {
        files[0] = InputText {
            path: files[0].path.clone(),
            text: files[0].text.replace("aws_kms_key", "aws_kms_kee"),
        };
    }
    let opened = open(&permalink::encode(&payload)).unwrap();
    assert_eq!(opened.input_matches, Some(false));
    assert!(matches!(opened.plan(), Plan::Show { .. }));
    let ro = opened.read_only();
    assert_eq!(ro.mode, Mode::InputMismatch);
    let b = banner(&ro, report::VERSION, None);
    assert!(
        b.notes[0].contains("does not match the SHA-256"),
        "{:?}",
        b.notes
    );
}

#[test]
fn the_banner_names_the_version_and_each_files_digest() {
    let ro = ReadOnly {
        made_by: "0.1.0".into(),
        files: vec![
            ("plan.json".into(), "0123456789abcdef".repeat(4)),
            ("main.tf".into(), "fedcba9876543210".repeat(4)),
        ],
        mode: Mode::ReportOnly,
        carried_findings: 3,
    };
    let b = banner(&ro, "0.1.0", Some(3));
    assert_eq!(
        b.line(),
        "Opened from a permalink \u{2014} read-only · made by planlens 0.1.0 · input SHA-256 plan.json 0123456789ab main.tf fedcba987654"
    );
    assert_eq!(b.notes.len(), 1, "same version: no version note");
    assert!(b.notes[0].contains("without source excerpts"));

    let b = banner(&ro, "0.2.0", Some(3));
    assert!(
        b.notes[1].contains("planlens 0.1.0's; this page is planlens 0.2.0"),
        "{:?}",
        b.notes
    );

    let rerun = ReadOnly {
        mode: Mode::Rerun,
        ..ro.clone()
    };
    let b = banner(&rerun, "0.1.0", Some(3));
    assert_eq!(b.notes.len(), 1);
    assert!(b.notes[0].contains("run again here, by planlens 0.1.0"));
    let b = banner(&rerun, "0.2.0", Some(5));
    assert!(
        b.notes[1].contains("made by planlens 0.1.0")
            && b.notes[1].contains("had 3 findings; this run has 5"),
        "{:?}",
        b.notes
    );
    let b = banner(&rerun, "0.2.0", Some(3));
    assert!(b.notes[1].contains("same number"), "{:?}", b.notes);
}

#[test]
fn every_export_is_the_engines_document() {
    let (_, _, report) = example();
    for format in EXPORTS {
        assert_eq!(parse_export(export_slug(format)), Some(format));
        let d = download(&report, format);
        let e = report::export(&report, format, &ExportOptions::default());
        assert_eq!(
            (d.file_name.as_str(), d.mime.as_str(), &d.text),
            (e.file_name, e.mime, &e.text)
        );
    }
    assert_eq!(parse_export("pdf"), None);

    let json: serde_json::Value =
        serde_json::from_str(&download(&report, ExportFormat::Json).text).unwrap();
    for key in [
        "tool",
        "input",
        "findings",
        "resources",
        "stores",
        "keys",
        "metrics",
    ] {
        assert!(json.get(key).is_some(), "JSON export lacks {key}");
    }
    let csv = download(&report, ExportFormat::Csv).text;
    assert_eq!(csv.lines().count(), report.findings.len() + 1);
}

/// A forged link can carry a well-formed report whose parts contradict each other: keys
/// naming stores that do not exist, stores naming keys that do not exist, metrics with more
/// passing than measured, absurd lines. Every view must still render it.
#[test]
fn a_self_contradicting_report_renders_in_every_view() {
    let (_, _, mut report) = example();
    for (i, f) in report.findings.iter_mut().enumerate() {
        f.line = Some(u32::MAX - i as u32);
        f.file = Some(format!("missing-{i}.tf"));
        if i % 3 == 0 {
            f.address = Some(String::new());
        }
        f.related.push("aws_s3_bucket.nowhere".into());
    }
    for s in report.stores.iter_mut() {
        s.key = Some("arn:aws:kms:xx:000:key/does-not-exist".into());
    }
    for k in report.keys.iter_mut() {
        k.stores.push("aws_s3_bucket.ghost".into());
    }
    let copy = report.stores.clone();
    report.stores.extend(copy);
    for m in report.metrics.values_mut() {
        m.numerator = m.denominator + 5;
    }
    report.resources.truncate(1);

    let rows = crate::view::findings::finding_rows(&report);
    assert_eq!(rows.len(), report.findings.len());
    let filter = crate::view::findings::FindingFilter::default();
    let _ = crate::view::findings::apply(&rows, &filter, Default::default());
    let _ = crate::view::findings::facets(&rows);
    let config = Options::default().config;
    let m = matrix(&report, &config);
    for r in &m {
        for c in [
            Column::Stores,
            Column::Keys,
            Column::Compliant,
            Column::NonCompliant,
        ] {
            let _ = cell_stores(&report, &config, r.key, c);
        }
    }
    let _ = cell_stores(&report, &config, RowKey::Unclassified, Column::Stores);
    let l = layout(&report, &Toggled::new());
    for n in &l.nodes {
        let _ = blast_radius(&report, &n.id);
    }
    let _ = hierarchy_summary(&report);
    let _ = crate::view::svg::document(&l, "t", None);
    let _ = crate::view::overview::metric_cards(&report);
    let _ = crate::view::overview::severity_counts(&report);
    let _ = crate::view::overview::file_rows(&report);
    let _ = crate::view::summary(&report);
    let _ = crate::view::inventory_rows(&report);
    for f in &report.findings {
        let _ = crate::view::detail::detail(f, &[]);
    }
    for format in EXPORTS {
        let _ = download(&report, format);
    }
}
