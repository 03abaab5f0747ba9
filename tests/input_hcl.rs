//! The HCL and Terraform JSON adapter, end to end: fixtures under
//! `tests/fixtures/input/{hcl,tfjson}/` loaded through `engine::input::load`, asserting the
//! model they produce (addresses, values, references, spans, directives, providers, errors).

use std::path::{Path, PathBuf};

use planlens::engine::input::load;
use planlens::engine::model::{InstanceKey, Lookup, Model, Resource, Tool, Value};
use planlens::engine::SourceFile;

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/input")
}

/// Every file under a fixture folder, with paths relative to it (as a dropped folder).
fn files_of(rel: &str) -> Vec<SourceFile> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                walk(root, &e, out);
            } else {
                let rel = e
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(SourceFile::new(rel, std::fs::read(&e).unwrap()));
            }
        }
    }
    let root = fixture_root().join(rel);
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

fn load_fixture(rel: &str) -> Model {
    load(&files_of(rel))
}

fn load_text(files: &[(&str, &str)]) -> Model {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(p, t)| SourceFile::new(*p, t.as_bytes().to_vec()))
        .collect();
    load(&files)
}

fn res<'a>(m: &'a Model, address: &str) -> &'a Resource {
    m.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            panic!(
                "no {address}; have {:?}",
                m.resources.iter().map(|r| &r.address).collect::<Vec<_>>()
            )
        })
}

fn addresses(m: &Model) -> Vec<&str> {
    m.resources.iter().map(|r| r.address.as_str()).collect()
}

fn known<'a>(r: &'a Resource, path: &str) -> &'a Value {
    match r.get(path) {
        Lookup::Known(v) => v,
        other => panic!("{}: {path} is {other:?}", r.address),
    }
}

fn s(r: &Resource, path: &str) -> String {
    match known(r, path) {
        Value::String(s) => s.to_string(),
        other => panic!("{}: {path} is {other:?}, not a string", r.address),
    }
}

fn unknown_reason(r: &Resource, path: &str) -> String {
    match r.get(path) {
        Lookup::Unknown(why) => why.to_string(),
        other => panic!("{}: {path} is {other:?}, not unknown", r.address),
    }
}

/// The 1-based line where the attribute (or nearest enclosing block) starts.
fn line(m: &Model, r: &Resource, path: &str) -> u32 {
    let span = r.span_of(path).expect("a span");
    m.position(span).unwrap().1
}

fn no_errors(m: &Model) {
    assert!(m.errors.is_empty(), "errors: {:#?}", m.errors);
}

// ---------------------------------------------------------------------------------------
// literal values, nested blocks, spans, references, directives, providers

#[test]
fn basic_values_and_nested_blocks() {
    let m = load_fixture("hcl/basic");
    no_errors(&m);
    assert_eq!(
        addresses(&m),
        vec![
            "aws_kms_key.pii",
            "aws_s3_bucket.customer_data",
            "aws_s3_bucket_server_side_encryption_configuration.customer_data",
            "aws_acm_certificate.main",
            "data.aws_kms_alias.logs",
            "aws_cloudwatch_log_group.app",
        ]
    );
    let key = res(&m, "aws_kms_key.pii");
    assert_eq!(key.get_f64("deletion_window_in_days"), Some(30.0));
    assert_eq!(key.get_bool("enable_key_rotation"), Some(true));
    assert_eq!(s(key, "tags.data-class"), "pii");
    assert_eq!(key.action, None);

    let sse = res(
        &m,
        "aws_s3_bucket_server_side_encryption_configuration.customer_data",
    );
    assert_eq!(
        s(
            sse,
            "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"
        ),
        "aws:kms"
    );
    assert_eq!(sse.get_bool("rule.0.bucket_key_enabled"), Some(false));
    let cert = res(&m, "aws_acm_certificate.main");
    assert_eq!(
        cert.get_bool("lifecycle.0.create_before_destroy"),
        Some(true)
    );
    assert_eq!(
        cert.get("provider"),
        Lookup::Absent,
        "meta-arguments are not values"
    );
}

#[test]
fn basic_spans_are_lines() {
    let m = load_fixture("hcl/basic");
    let sse = res(
        &m,
        "aws_s3_bucket_server_side_encryption_configuration.customer_data",
    );
    assert_eq!(line(&m, sse, ""), 18);
    assert_eq!(line(&m, sse, "bucket"), 19);
    assert_eq!(line(&m, sse, "rule.0"), 21);
    assert_eq!(
        line(
            &m,
            sse,
            "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"
        ),
        25
    );
    assert_eq!(
        line(
            &m,
            sse,
            "rule.0.apply_server_side_encryption_by_default.0.missing"
        ),
        22,
        "falls back to the enclosing block"
    );
    let f = &m.files[match sse.origin {
        planlens::engine::model::Origin::Span(s) => s.file,
        _ => panic!("HCL resources have spans"),
    }];
    assert_eq!(f.path, "main.tf");
}

#[test]
fn basic_references_resolve_to_addresses() {
    let m = load_fixture("hcl/basic");
    let sse = res(
        &m,
        "aws_s3_bucket_server_side_encryption_configuration.customer_data",
    );
    assert_eq!(
        sse.refs("rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"),
        &["aws_kms_key.pii".to_string()]
    );
    assert_eq!(
        sse.refs("bucket"),
        &["aws_s3_bucket.customer_data".to_string()]
    );
    assert_eq!(
        unknown_reason(
            sse,
            "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"
        ),
        "known after apply"
    );
    let lg = res(&m, "aws_cloudwatch_log_group.app");
    assert_eq!(
        lg.refs("kms_key_id"),
        &["data.aws_kms_alias.logs".to_string()]
    );
    assert_eq!(
        unknown_reason(lg, "kms_key_id"),
        "data.aws_kms_alias.logs is read at apply"
    );
    let referrers: Vec<&str> = m
        .referrers("aws_kms_key.pii")
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        referrers,
        vec!["aws_s3_bucket_server_side_encryption_configuration.customer_data"]
    );
}

#[test]
fn basic_directives() {
    let m = load_fixture("hcl/basic");
    let sse = res(
        &m,
        "aws_s3_bucket_server_side_encryption_configuration.customer_data",
    );
    type Row<'a> = (Tool, &'a str, Option<&'a str>, Option<&'a str>, u32);
    let d: Vec<Row> = sse
        .directives
        .iter()
        .map(|d| {
            (
                d.tool,
                d.id.as_str(),
                d.reason.as_deref(),
                d.attribute.as_deref(),
                d.line,
            )
        })
        .collect();
    assert_eq!(
        d,
        vec![
            (
                Tool::Planlens,
                "S3001",
                Some("bucket keys are off on purpose"),
                None,
                16
            ),
            (
                Tool::Tfsec,
                "aws-s3-encryption-customer-key",
                None,
                None,
                17
            ),
            (
                Tool::Planlens,
                "ENC002",
                Some("the key policy is reviewed elsewhere"),
                Some("rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"),
                24
            ),
        ]
    );
    let lg = res(&m, "aws_cloudwatch_log_group.app");
    assert_eq!(lg.directives.len(), 1);
    assert_eq!(lg.directives[0].tool, Tool::Checkov);
    assert_eq!(lg.directives[0].id, "CKV_AWS_158");
    assert_eq!(lg.directives[0].attribute, None);
    assert!(
        res(&m, "aws_kms_key.pii").directives.is_empty(),
        "a plain comment is not a directive"
    );
}

#[test]
fn basic_providers_and_tags_all() {
    let m = load_fixture("hcl/basic");
    let keys: Vec<&str> = m.providers.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, vec!["aws", "aws.west"]);
    let aws = m.provider("aws").unwrap();
    assert_eq!(aws.region(), Some("eu-central-1"));
    assert_eq!(aws.default_tags().get("owner"), Some(&"platform"));
    assert_eq!(
        m.provider("aws.west").unwrap().alias.as_deref(),
        Some("west")
    );
    assert_eq!(res(&m, "aws_acm_certificate.main").provider, "aws.west");
    let key = res(&m, "aws_kms_key.pii");
    assert_eq!(key.provider, "aws");
    // The resource's own tag wins over the provider default; the other default stays.
    assert_eq!(s(key, "tags_all.data-class"), "pii");
    assert_eq!(s(key, "tags_all.owner"), "platform");
    let bucket = res(&m, "aws_s3_bucket.customer_data");
    assert_eq!(s(bucket, "tags_all.data-class"), "operational");
    assert_eq!(bucket.tags().get("data-class"), Some(&"operational"));
    let data = res(&m, "data.aws_kms_alias.logs");
    assert_eq!(
        data.get("tags_all"),
        Lookup::Absent,
        "data sources have no tags_all"
    );
}

#[test]
fn parse_error_has_line_and_column_and_other_files_still_load() {
    let m = load_text(&[
        (
            "broken.tf",
            "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \n}\n",
        ),
        (
            "ok.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
        ),
    ]);
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    let e = &m.errors[0];
    assert_eq!(e.file, "broken.tf");
    assert_eq!(e.line, Some(2));
    assert!(e.column.is_some_and(|c| c >= 10), "{e:?}");
    assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
    assert_eq!(e.excerpt.as_deref(), Some("  bucket = "));
    assert_eq!(addresses(&m), vec!["aws_s3_bucket.b"]);
}

#[test]
fn implied_provider_when_no_block() {
    let m = load_text(&[(
        "main.tf",
        "resource \"tls_private_key\" \"k\" {\n  algorithm = \"RSA\"\n}\n",
    )]);
    no_errors(&m);
    assert_eq!(res(&m, "tls_private_key.k").provider, "tls");
    assert_eq!(
        m.provider("tls").unwrap().origin,
        planlens::engine::model::Origin::Implied
    );
}

#[allow(dead_code)]
fn int_key(i: i64) -> Option<InstanceKey> {
    Some(InstanceKey::Int(i))
}

// ---------------------------------------------------------------------------------------
// functions, operators, templates (table in the fixture: `got` must equal `want`)

#[test]
fn function_table() {
    let m = load_fixture("hcl/functions");
    no_errors(&m);
    let cases: Vec<&Resource> = m.resources.iter().filter(|r| r.rtype == "case").collect();
    assert!(cases.len() >= 65, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for r in cases {
        match (r.get("want"), r.get("unknown")) {
            (Lookup::Known(want), _) => {
                let got = r.values.lookup("got");
                if got != Lookup::Known(want) {
                    failures.push(format!("{}: got {got:?}, want {want:?}", r.name));
                }
            }
            (Lookup::Absent, Lookup::Known(Value::String(why))) => match r.get("got") {
                Lookup::Unknown(reason) if reason == why => {}
                other => failures.push(format!("{}: got {other:?}, want unknown {why:?}", r.name)),
            },
            other => failures.push(format!("{}: case without want: {other:?}", r.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------
// variables, locals, count / for_each, dynamic blocks

#[test]
fn variables_follow_terraform_precedence() {
    let m = load_fixture("hcl/vars");
    no_errors(&m);
    let b = res(&m, "aws_s3_bucket.logs");
    assert_eq!(
        s(b, "bucket"),
        "prod-logs",
        "a.auto.tfvars beats terraform.tfvars"
    );
    assert_eq!(
        s(b, "tags.owner"),
        "team-b",
        "b.auto.tfvars.json beats terraform.tfvars"
    );
    assert_eq!(
        b.refs("bucket"),
        &["var.env".to_string()],
        "root variables are references, as in plan JSON"
    );
    let g = res(&m, "aws_cloudwatch_log_group.g");
    assert_eq!(
        known(g, "retention_in_days"),
        &Value::Number(30.0),
        "type = number converts"
    );
    assert_eq!(s(g, "name"), "/app/prod");
    assert_eq!(
        unknown_reason(g, "kms_key_id"),
        "var.kms_key_arn has no value"
    );
    assert_eq!(g.refs("kms_key_id"), &["var.kms_key_arn".to_string()]);
    assert_eq!(m.provider("aws").unwrap().region(), Some("eu-west-1"));
}

#[test]
fn locals_chain_cycle_and_precise_references() {
    let m = load_fixture("hcl/locals");
    no_errors(&m);
    let b = res(&m, "aws_s3_bucket.b");
    assert_eq!(s(b, "bucket"), "a-b-c");
    assert_eq!(
        unknown_reason(b, "tags.cyc"),
        "cycle: local.x → local.y → local.z → local.x"
    );
    let sse = res(&m, "aws_s3_bucket_server_side_encryption_configuration.b");
    // A resource attribute set in configuration is known through the reference.
    assert_eq!(s(sse, "bucket"), "a-b-c");
    assert_eq!(sse.refs("bucket"), &["aws_s3_bucket.b".to_string()]);
    // Only the key the map lookup picks, not every key the local names.
    assert_eq!(
        sse.refs("rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"),
        &["aws_kms_key.pii".to_string()]
    );
    let g = res(&m, "aws_cloudwatch_log_group.g");
    assert_eq!(g.refs("kms_key_id"), &["aws_kms_key.logs".to_string()]);
    assert_eq!(unknown_reason(g, "kms_key_id"), "known after apply");
}

#[test]
fn count_and_for_each_addresses() {
    let m = load_fixture("hcl/expansion");
    no_errors(&m);
    assert_eq!(
        addresses(&m),
        vec![
            "aws_kms_key.k[0]",
            "aws_kms_key.k[1]",
            "aws_s3_bucket.b[\"data.eu\"]",
            "aws_s3_bucket.b[\"logs\"]",
            "aws_s3_bucket.set[\"x\"]",
            "aws_s3_bucket.set[\"y\"]",
            "aws_s3_bucket_server_side_encryption_configuration.b[\"data.eu\"]",
            "aws_s3_bucket_server_side_encryption_configuration.b[\"logs\"]",
            "aws_sqs_queue.q[0]",
            "aws_sqs_queue.q[1]",
            "aws_sqs_queue.unknown_count",
            "aws_security_group.sg",
            "aws_cloudfront_distribution.d",
        ]
    );
    assert_eq!(s(res(&m, "aws_kms_key.k[1]"), "description"), "key 1");
    let b = res(&m, "aws_s3_bucket.b[\"data.eu\"]");
    assert_eq!(b.index, Some(InstanceKey::Str("data.eu".into())));
    assert_eq!(s(b, "bucket"), "data.eu-data");
    assert_eq!(s(res(&m, "aws_s3_bucket.set[\"x\"]"), "bucket"), "x");
    let sse = res(
        &m,
        "aws_s3_bucket_server_side_encryption_configuration.b[\"logs\"]",
    );
    assert_eq!(s(sse, "bucket"), "logs-logs");
    assert_eq!(
        sse.refs("bucket"),
        &["aws_s3_bucket.b".to_string()],
        "unindexed: config address"
    );
    assert_eq!(
        sse.refs("rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"),
        &["aws_kms_key.k[0]".to_string()]
    );
    let q1 = res(&m, "aws_sqs_queue.q[1]");
    assert_eq!(q1.index, Some(InstanceKey::Int(1)));
    assert_eq!(
        q1.refs("kms_master_key_id"),
        &["aws_kms_key.k[1]".to_string()]
    );
    assert_eq!(m.resolve("aws_kms_key.k").count(), 2);
    let u = res(&m, "aws_sqs_queue.unknown_count");
    assert_eq!(u.index, None);
    assert!(
        unknown_reason(u, "name").starts_with("count of aws_sqs_queue.unknown_count is not known")
    );
}

#[test]
fn dynamic_blocks_expand() {
    let m = load_fixture("hcl/expansion");
    let sg = res(&m, "aws_security_group.sg");
    let ingress: Vec<(String, f64)> = sg
        .blocks("ingress")
        .map(|(p, _)| {
            (
                s(sg, &format!("{p}.description")),
                sg.get_f64(&format!("{p}.from_port")).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ingress,
        vec![
            ("http".into(), 80.0),
            ("https".into(), 443.0),
            ("ssh".into(), 22.0)
        ]
    );
    assert_eq!(line(&m, sg, "ingress.0.from_port"), 60);
    assert_eq!(line(&m, sg, "ingress.2"), 65);
    // An unknown for_each: one conditional block, its content read with the element
    // unknown (nothing the content does not write is invented).
    assert!(unknown_reason(sg, "egress.0.from_port")
        .starts_with("dynamic \"egress\" for_each is not known: var.egress_rules has no value"));
    let conditional = sg
        .meta
        .get("egress.0")
        .expect("egress.0 has meta")
        .conditional
        .as_deref()
        .unwrap_or("");
    assert!(conditional.contains("var.egress_rules"), "{conditional}");
    let d = res(&m, "aws_cloudfront_distribution.d");
    assert_eq!(s(d, "origin.1.domain_name"), "b.example.com");
    assert_eq!(s(d, "origin.1.origin_id"), "origin-1");
    assert_eq!(s(d, "origin.0.custom_header.0.name"), "x");
    assert_eq!(s(d, "origin.0.custom_header.0.value"), "1");
}

#[test]
fn unknowns_say_why() {
    let m = load_text(&[(
        "main.tf",
        r#"
data "aws_kms_key" "x" {
  key_id = "alias/app"
}
variable "unset" {}
resource "aws_lambda_function" "f" {
  kms_key_arn = data.aws_kms_key.x.arn
  description = var.unset
  policy      = file("policy.json")
  key_id      = data.aws_kms_key.x.key_id
  role        = aws_iam_role.missing.arn
}
"#,
    )]);
    let f = res(&m, "aws_lambda_function.f");
    assert_eq!(
        unknown_reason(f, "kms_key_arn"),
        "data.aws_kms_key.x is read at apply"
    );
    assert_eq!(f.refs("kms_key_arn"), &["data.aws_kms_key.x".to_string()]);
    assert_eq!(unknown_reason(f, "description"), "var.unset has no value");
    assert_eq!(unknown_reason(f, "policy"), "file() reads a file");
    // A data source's own arguments are known from configuration.
    assert_eq!(s(f, "key_id"), "alias/app");
    assert_eq!(
        unknown_reason(f, "role"),
        "aws_iam_role.missing is not declared in the files given"
    );
    assert_eq!(f.refs("role"), &["aws_iam_role.missing".to_string()]);
}

// ---------------------------------------------------------------------------------------
// local modules

#[test]
fn local_modules_expand_with_terraform_addresses() {
    let m = load_fixture("hcl/modules");
    no_errors(&m);
    assert_eq!(
        addresses(&m),
        vec![
            "aws_s3_bucket_policy.invoices",
            "aws_ssm_parameter.names",
            "aws_ssm_parameter.absent",
            "module.keys[\"logs\"].aws_kms_key.this",
            "module.keys[\"logs\"].aws_kms_alias.this",
            "module.keys[\"pii\"].aws_kms_key.this",
            "module.keys[\"pii\"].aws_kms_alias.this",
            "module.invoices.aws_s3_bucket.this",
            "module.invoices.aws_s3_bucket_server_side_encryption_configuration.this",
            "module.counted[0].aws_kms_key.this",
            "module.counted[0].aws_kms_alias.this",
            "module.counted[1].aws_kms_key.this",
            "module.counted[1].aws_kms_alias.this",
        ]
    );
    let alias = res(&m, "module.keys[\"pii\"].aws_kms_alias.this");
    assert_eq!(alias.module, "module.keys[\"pii\"]");
    assert_eq!(alias.index, None);
    assert_eq!(s(alias, "name"), "alias/cmk-pii");
    assert_eq!(
        alias.refs("target_key_id"),
        &["module.keys[\"pii\"].aws_kms_key.this".to_string()]
    );
    assert_eq!(
        s(res(&m, "module.counted[1].aws_kms_key.this"), "description"),
        "cmk-n1"
    );
    // Spans point into the module's own file.
    let key = res(&m, "module.keys[\"pii\"].aws_kms_key.this");
    let span = key.span_of("description").unwrap();
    assert_eq!(
        m.position(span).map(|p| (p.0, p.1)),
        Some(("modules/kms/main.tf", 6))
    );
}

#[test]
fn references_follow_module_outputs_and_variables() {
    let m = load_fixture("hcl/modules");
    let sse = res(
        &m,
        "module.invoices.aws_s3_bucket_server_side_encryption_configuration.this",
    );
    // var.kms_key_arn → module.keys["pii"].key_arn → aws_kms_key.this in that instance
    assert_eq!(
        sse.refs("rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"),
        &["module.keys[\"pii\"].aws_kms_key.this".to_string()]
    );
    assert_eq!(
        sse.refs("bucket"),
        &["module.invoices.aws_s3_bucket.this".to_string()]
    );
    let policy = res(&m, "aws_s3_bucket_policy.invoices");
    assert_eq!(
        policy.refs("bucket"),
        &["module.invoices.aws_s3_bucket.this".to_string()]
    );
    assert_eq!(
        unknown_reason(policy, "policy"),
        "module source terraform-aws-modules/s3-bucket/aws is not local"
    );
    assert_eq!(
        policy.refs("policy"),
        &["module.registry.s3_bucket_policy".to_string()]
    );
    // A value set in the module's configuration is known through its output.
    let names = res(&m, "aws_ssm_parameter.names");
    assert_eq!(s(names, "value"), "invoices");
    // An ignore comment on a module call reaches the module's resources.
    let d = &sse.directives;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].tool, d[0].id.as_str(), d[0].line),
        (Tool::Trivy, "AVD-AWS-0132", 21)
    );
    assert!(res(&m, "module.keys[\"pii\"].aws_kms_key.this")
        .directives
        .is_empty());
    let absent = res(&m, "aws_ssm_parameter.absent");
    assert_eq!(
        unknown_reason(absent, "value"),
        "module source ./modules/absent was not loaded: no files under modules/absent"
    );
}

#[test]
fn module_providers_are_inherited_or_passed() {
    let m = load_fixture("hcl/modules");
    assert_eq!(
        res(&m, "module.invoices.aws_s3_bucket.this").provider,
        "aws.west"
    );
    let key = res(&m, "module.keys[\"logs\"].aws_kms_key.this");
    assert_eq!(key.provider, "aws");
    assert_eq!(
        s(key, "tags_all.data-class"),
        "pii",
        "default_tags reach module resources"
    );
    assert_eq!(
        res(&m, "module.invoices.aws_s3_bucket.this").get("tags_all"),
        Lookup::Absent,
        "aws.west has no default_tags and the bucket no tags"
    );
}

#[test]
fn module_cycles_are_reported_not_followed() {
    let m = load_text(&[
        ("main.tf", "module \"me\" {\n  source = \"./\"\n}\nresource \"aws_kms_key\" \"k\" {\n  description = \"k\"\n}\n"),
    ]);
    assert_eq!(addresses(&m), vec!["aws_kms_key.k"]);
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    assert_eq!(m.errors[0].line, Some(1));
    assert!(
        m.errors[0]
            .message
            .contains("module.me calls a module that contains it"),
        "{}",
        m.errors[0].message
    );

    let m = load_text(&[
        (
            "a/main.tf",
            "module \"b\" {\n  source = \"../b\"\n}\nresource \"aws_kms_key\" \"a\" {}\n",
        ),
        (
            "b/main.tf",
            "module \"a\" {\n  source = \"../a\"\n}\nresource \"aws_kms_key\" \"b\" {}\n",
        ),
    ]);
    assert_eq!(
        addresses(&m),
        vec!["aws_kms_key.a", "module.b.aws_kms_key.b"]
    );
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    assert!(
        m.errors[0].message.contains("cycle: a → b → a"),
        "{}",
        m.errors[0].message
    );
}

// ---------------------------------------------------------------------------------------
// Terraform JSON syntax

/// The same resources with the same values and references in both models.
fn assert_equivalent(hcl: &Model, json: &Model) {
    let mut a: Vec<&str> = addresses(hcl);
    let mut b: Vec<&str> = addresses(json);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    for r in &hcl.resources {
        let j = res(json, &r.address);
        assert_eq!(r.values, j.values, "{} values", r.address);
        assert_eq!(r.provider, j.provider, "{} provider", r.address);
        let refs = |x: &Resource| -> Vec<(String, Vec<String>)> {
            x.meta
                .iter()
                .filter(|(_, m)| !m.refs.is_empty())
                .map(|(p, m)| (p.clone(), m.refs.clone()))
                .collect()
        };
        assert_eq!(refs(r), refs(j), "{} refs", r.address);
    }
}

#[test]
fn tf_json_matches_hcl_basic() {
    let hcl = load_fixture("hcl/basic");
    let json = load_fixture("tfjson/basic");
    no_errors(&json);
    assert_equivalent(&hcl, &json);
    let keys: Vec<&str> = json.providers.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, vec!["aws", "aws.west"]);
    let sse = res(
        &json,
        "aws_s3_bucket_server_side_encryption_configuration.customer_data",
    );
    assert_eq!(
        sse.directives.len(),
        1,
        "a \"//\" comment key may carry a directive"
    );
    assert_eq!(sse.directives[0].id, "S3001");
    assert_eq!(sse.directives[0].line, 28);
    // Spans land on the line of the resource's and attribute's keys.
    assert_eq!(line(&json, sse, ""), 27);
    assert_eq!(
        line(
            &json,
            sse,
            "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"
        ),
        33
    );
}

#[test]
fn tf_json_matches_hcl_locals() {
    let hcl = load_fixture("hcl/locals");
    let json = load_fixture("tfjson/locals");
    no_errors(&json);
    assert_equivalent(&hcl, &json);
}

#[test]
fn tf_json_errors_are_positioned() {
    let m = load_text(&[
        (
            "bad.tf.json",
            "{\n  \"resource\": {\n    \"aws_s3_bucket\": {,\n  }\n}\n",
        ),
        (
            "bad-template.tf.json",
            "{\"resource\": {\"aws_s3_bucket\": {\"b\": {\"bucket\": \"${unclosed\"}}}}",
        ),
    ]);
    assert_eq!(m.errors.len(), 2, "{:?}", m.errors);
    assert_eq!(
        (m.errors[0].file.as_str(), m.errors[0].line),
        ("bad.tf.json", Some(3))
    );
    assert!(m.errors[0].message.starts_with("invalid JSON"));
    assert!(
        m.errors[1].message.starts_with("invalid template"),
        "{}",
        m.errors[1].message
    );
    assert_eq!(addresses(&m), vec!["aws_s3_bucket.b"]);
}

// ---------------------------------------------------------------------------------------
// limits: hostile input gets a positioned error or an unknown, never a panic, overflow or hang

/// Runs `f` on a thread with a 1 MiB stack: the browser's WebAssembly stack is about that
/// size, so nothing may recurse deeply on input-shaped data.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no panic or stack overflow")
}

fn timed<T>(limit_secs: u64, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took.as_secs() < limit_secs, "took {took:?}");
    out
}

#[test]
fn deep_nesting_is_rejected_before_parsing() {
    small_stack(|| {
        let n = 100_000;
        let cases = [
            (
                "brackets.tf",
                format!(
                    "resource \"a\" \"b\" {{\n  x = {}1{}\n}}\n",
                    "[".repeat(n),
                    "]".repeat(n)
                ),
            ),
            ("blocks.tf", format!("{}\n", "a {\n".repeat(n))),
            ("template.tf", format!("x = \"{}\"\n", "${\"".repeat(n))),
            ("parens.tfvars", format!("x = {}1\n", "(".repeat(n))),
        ];
        for (name, text) in cases {
            let m = timed(60, || {
                load_text(&[(name, &text), ("ok.tf", "resource \"a\" \"ok\" {}\n")])
            });
            assert_eq!(m.errors.len(), 1, "{name}: {:?}", m.errors);
            let e = &m.errors[0];
            assert_eq!(e.file, name);
            assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
            assert!(
                e.message.contains("nesting deeper than 32 levels"),
                "{}",
                e.message
            );
            assert_eq!(addresses(&m), vec!["a.ok"], "{name}");
        }
        let heredoc = format!("x = <<EOT\n${{{}1{}}}\nEOT\n", "[".repeat(n), "]".repeat(n));
        let m = timed(60, || load_text(&[("heredoc.tf", &heredoc)]));
        assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
        assert_eq!(m.errors[0].line, Some(2));
        assert!(m.errors[0]
            .message
            .contains("nesting deeper than 32 levels"));
        // At the bound: parsed and evaluated on the small stack.
        let ok = format!("x = {}1{}\n", "[".repeat(32), "]".repeat(32));
        let m = load_text(&[("ok.tfvars", &ok), ("main.tf", "resource \"a\" \"b\" {}\n")]);
        no_errors(&m);
        let json = format!("{{\"resource\": {}{}}}", "[".repeat(n), "]".repeat(n));
        let m = load_text(&[("deep.tf.json", &json)]);
        assert_eq!(m.errors.len(), 1);
        assert!(
            m.errors[0].message.contains("recursion limit"),
            "{}",
            m.errors[0].message
        );
    });
}

#[test]
fn long_reference_chains_are_bounded() {
    small_stack(|| {
        let n = 20_000;
        let mut tf = String::from("locals {\n");
        for i in 0..n {
            tf.push_str(&format!("  l{i} = local.l{}\n", i + 1));
        }
        tf.push_str(&format!("  l{n} = \"end\"\n}}\n"));
        tf.push_str("resource \"aws_s3_bucket\" \"b\" {\n  bucket = local.l0\n}\n");
        let m = timed(60, || load_text(&[("chain.tf", &tf)]));
        no_errors(&m);
        let b = res(&m, "aws_s3_bucket.b");
        assert!(
            unknown_reason(b, "bucket").starts_with("evaluation nested deeper than"),
            "{:?}",
            b.get("bucket")
        );
        // A chain of resources referencing each other is bounded the same way.
        let mut tf = String::new();
        for i in 0..500 {
            tf.push_str(&format!(
                "resource \"aws_s3_bucket\" \"b{i}\" {{\n  bucket = aws_s3_bucket.b{}.bucket\n}}\n",
                i + 1
            ));
        }
        tf.push_str("resource \"aws_s3_bucket\" \"b500\" {\n  bucket = \"end\"\n}\n");
        let m = timed(60, || load_text(&[("resources.tf", &tf)]));
        assert_eq!(m.resources.len(), 501);
        assert_eq!(s(res(&m, "aws_s3_bucket.b499"), "bucket"), "end");
        // Cut short by the depth bound from b0, complete from a shallower start.
        // 400 references away from the end: cut short by the depth bound, whatever the start.
        assert!(unknown_reason(res(&m, "aws_s3_bucket.b100"), "bucket")
            .starts_with("evaluation nested deeper than"));
        assert_eq!(s(res(&m, "aws_s3_bucket.b480"), "bucket"), "end");
    });
}

#[test]
fn reference_cycles_between_resources_are_unknown() {
    let m = load_text(&[(
        "main.tf",
        "resource \"a\" \"x\" {\n  v = a.y.v\n}\nresource \"a\" \"y\" {\n  v = a.x.v\n}\nresource \"a\" \"self\" {\n  v = a.self.w\n  w = 1\n}\n",
    )]);
    no_errors(&m);
    assert_eq!(
        unknown_reason(res(&m, "a.x"), "v"),
        "cycle: a.x → a.y → a.x"
    );
    assert_eq!(
        unknown_reason(res(&m, "a.self"), "v"),
        "cycle: a.self → a.self"
    );
}

#[test]
fn huge_count_and_for_each_are_capped() {
    small_stack(|| {
        let m = timed(60, || {
            load_text(&[(
                "main.tf",
                r#"
resource "aws_sqs_queue" "count" {
  count = 1000000000
  name  = "q"
}
resource "aws_sqs_queue" "range" {
  for_each = toset(range(1e9))
  name     = each.key
}
resource "aws_sqs_queue" "wide" {
  for_each = { for i in range(20000) : tostring(i) => i }
  name     = each.key
}
"#,
            )])
        });
        assert_eq!(
            addresses(&m),
            vec![
                "aws_sqs_queue.count",
                "aws_sqs_queue.range",
                "aws_sqs_queue.wide"
            ]
        );
        assert_eq!(m.errors.len(), 2, "{:?}", m.errors);
        assert_eq!(m.errors[0].line, Some(3));
        assert!(m.errors[0]
            .message
            .contains("planlens expands at most 10000 instances"));
        assert_eq!(m.errors[1].line, Some(11));
        assert!(m.errors[1].message.contains("has 20000 elements"));
        let r = res(&m, "aws_sqs_queue.range");
        assert!(
            unknown_reason(r, "name")
                .contains("range of 1000000000 elements exceeds the 100000-element limit"),
            "{:?}",
            r.get("name")
        );
        assert_eq!(s(res(&m, "aws_sqs_queue.count"), "name"), "q");
    });
}

#[test]
fn string_doubling_is_capped() {
    let mut tf = String::from("locals {\n  s0 = \"0123456789abcdef\"\n");
    for i in 1..=40 {
        tf.push_str(&format!(
            "  s{i} = \"${{local.s{0}}}${{local.s{0}}}\"\n",
            i - 1
        ));
    }
    tf.push_str("}\nresource \"a\" \"b\" {\n  small = length(local.s10)\n  big = local.s40\n  joined = join(\",\", [local.s20, local.s20, local.s20, local.s20, local.s20, local.s20, local.s20, local.s20, local.s20, local.s20, local.s20])\n}\n");
    let m = timed(60, || load_text(&[("main.tf", &tf)]));
    no_errors(&m);
    let b = res(&m, "a.b");
    assert_eq!(b.get_f64("small"), Some(16.0 * 1024.0));
    assert!(
        unknown_reason(b, "big").contains("exceeds the 10 MB limit"),
        "{:?}",
        b.get("big")
    );
    assert!(unknown_reason(b, "joined").contains("exceeds the 10 MB limit"));
}

#[test]
fn evaluation_budget_bounds_total_work() {
    let m = timed(60, || {
        load_text(&[(
            "main.tf",
            r#"
locals {
  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]
}
resource "a" "b" {
  v = length(local.cube)
}
"#,
        )])
    });
    no_errors(&m);
    assert_eq!(
        unknown_reason(res(&m, "a.b"), "v"),
        "evaluation budget exceeded"
    );
}

#[test]
fn module_nesting_is_bounded() {
    small_stack(|| {
        let mut files = Vec::new();
        for i in 0..40 {
            files.push((
                format!("m{i}/main.tf"),
                format!(
                    "module \"next\" {{\n  source = \"../m{}\"\n}}\nresource \"a\" \"r\" {{}}\n",
                    i + 1
                ),
            ));
        }
        files.push(("m40/main.tf".into(), "resource \"a\" \"r\" {}\n".into()));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let m = load_text(&refs);
        assert_eq!(m.resources.len(), 33, "the root and 32 nested modules");
        assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
        assert!(m.errors[0]
            .message
            .contains("nested more than 32 modules deep"));
    });
}

#[test]
fn hostile_keys_and_names_are_escaped() {
    let m = load_text(&[(
        "main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  for_each = toset([\"a\\\"b\", \"line\\nbreak\", \"ünï\"])\n  bucket = each.key\n}\n",
    )]);
    no_errors(&m);
    assert_eq!(
        addresses(&m),
        vec![
            "aws_s3_bucket.b[\"a\\\"b\"]",
            "aws_s3_bucket.b[\"line\\nbreak\"]",
            "aws_s3_bucket.b[\"ünï\"]",
        ]
    );
    assert_eq!(
        s(res(&m, "aws_s3_bucket.b[\"line\\nbreak\"]"), "bucket"),
        "line\nbreak"
    );
}

// ---------------------------------------------------------------------------------------
// the seed's own snippets

#[test]
fn seed_snippets_load_without_errors() {
    let m = load_fixture("hcl/seed");
    no_errors(&m);
    assert_eq!(
        addresses(&m),
        vec![
            "aws_kms_key.pii",
            "aws_kms_alias.pii",
            "aws_s3_bucket.customer_data",
            "aws_s3_bucket_server_side_encryption_configuration.customer_data",
            "aws_db_instance.main",
            "aws_lb_listener.https",
            "aws_lb_listener.http_redirect",
            "aws_cloudfront_distribution.main",
            "aws_acm_certificate.main",
            "aws_route53_record.cert_validation",
        ]
    );
    let key = res(&m, "aws_kms_key.pii");
    assert_eq!(key.get_f64("deletion_window_in_days"), Some(30.0));
    // The policy names the account id and the app role, which the seed does not declare:
    // its encoded string is not known, so the model keeps the document's structure with
    // those two leaves unknown, each with its own references.
    assert_eq!(
        unknown_reason(key, "policy.Statement.0.Principal.AWS"),
        "var.account_id is not declared in the files given"
    );
    assert_eq!(
        unknown_reason(key, "policy.Statement.1.Principal.AWS"),
        "aws_iam_role.app is not declared in the files given"
    );
    assert_eq!(
        key.get_str("policy.Statement.2.Principal.Service"),
        Some("cloudtrail.amazonaws.com")
    );
    assert_eq!(
        key.refs("policy"),
        &["var.account_id".to_string(), "aws_iam_role.app".to_string()]
    );
    assert_eq!(
        key.refs("policy.Statement.1.Principal.AWS"),
        &["aws_iam_role.app".to_string()]
    );
    let db = res(&m, "aws_db_instance.main");
    assert_eq!(db.get_bool("storage_encrypted"), Some(true));
    assert_eq!(db.refs("kms_key_id"), &["aws_kms_key.pii".to_string()]);
    assert_eq!(db.get_f64("backup_retention_period"), Some(7.0));
    assert_eq!(
        s(
            res(&m, "aws_lb_listener.http_redirect"),
            "default_action.0.redirect.0.status_code"
        ),
        "HTTP_301"
    );
    assert_eq!(
        s(
            res(&m, "aws_cloudfront_distribution.main"),
            "viewer_certificate.0.minimum_protocol_version"
        ),
        "TLSv1.2_2021"
    );
    assert_eq!(
        res(&m, "aws_acm_certificate.main").get_bool("lifecycle.0.create_before_destroy"),
        Some(true)
    );
    // for_each over values known only after apply: one instance without a key.
    let r53 = res(&m, "aws_route53_record.cert_validation");
    assert_eq!(r53.index, None);
    assert_eq!(r53.get_f64("ttl"), Some(60.0));
    assert!(unknown_reason(r53, "name")
        .starts_with("for_each of aws_route53_record.cert_validation is not known"));
}

#[test]
fn shared_value_doubling_is_capped() {
    // Values are shared, not copied: `[l, l]` is cheap to build but doubles what every walk
    // over it (references, JSON, comparison, copying into the model) would cost.
    let mut tf = String::from("locals {\n  l0 = [\"x\"]\n");
    for i in 1..=60 {
        tf.push_str(&format!("  l{i} = [local.l{0}, local.l{0}]\n", i - 1));
    }
    tf.push_str(
        "}\nresource \"a\" \"b\" {\n  v = local.l60\n  j = jsonencode(local.l60)\n  n = length(flatten(local.l15))\n  e = local.l60 == local.l59\n}\n",
    );
    let m = timed(60, || small_stack(move || load_text(&[("main.tf", &tf)])));
    no_errors(&m);
    let b = res(&m, "a.b");
    assert_eq!(b.get_f64("n"), Some(32768.0), "{:?}", b.get("n"));
    for path in ["j", "v", "e"] {
        let why = format!("{:?}", b.get(path));
        assert!(
            why.contains("value of more than 1000000 elements"),
            "{path}: {why}"
        );
    }
}

#[test]
fn a_module_with_its_own_provider_block_keeps_it() {
    let m = load_text(&[
        (
            "main.tf",
            "module \"legacy\" {\n  source = \"./legacy\"\n}\n",
        ),
        (
            "legacy/main.tf",
            "provider \"aws\" {\n  region = \"ap-south-1\"\n}\nresource \"aws_kms_key\" \"k\" {}\n",
        ),
    ]);
    no_errors(&m);
    assert_eq!(
        res(&m, "module.legacy.aws_kms_key.k").provider,
        "module.legacy:aws"
    );
    assert_eq!(
        m.provider("module.legacy:aws").unwrap().region(),
        Some("ap-south-1")
    );
}

#[test]
fn tf_json_module_calls_with_providers() {
    let m = load_text(&[
        (
            "main.tf.json",
            r#"{
  "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "west", "region": "us-west-2"}]},
  "module": {
    "m": {
      "source": "./m",
      "for_each": {"a": "x", "b": "y"},
      "providers": {"aws": "aws.west"},
      "name": "${upper(each.value)}"
    }
  }
}"#,
        ),
        (
            "m/main.tf",
            "variable \"name\" {}\nresource \"aws_kms_key\" \"k\" {\n  description = var.name\n}\n",
        ),
    ]);
    no_errors(&m);
    assert_eq!(
        addresses(&m),
        vec![
            "module.m[\"a\"].aws_kms_key.k",
            "module.m[\"b\"].aws_kms_key.k"
        ]
    );
    let k = res(&m, "module.m[\"b\"].aws_kms_key.k");
    assert_eq!(s(k, "description"), "Y");
    assert_eq!(k.provider, "aws.west");
}

#[test]
fn checkov_skips_anywhere_inside_the_resource() {
    let m = load_text(&[(
        "main.tf",
        "resource \"aws_security_group\" \"a\" {\n  #checkov:skip=CKV_AWS_24:no attributes at all\n}\n\nresource \"aws_instance\" \"b\" {\n  ami = \"x\"\n  ##checkov:skip=CKV_AWS_79:after the last attribute\n  # planlens:ignore:EBS001 not a checkov comment\n}\n",
    )]);
    no_errors(&m);
    let a = res(&m, "aws_security_group.a");
    assert_eq!(a.directives.len(), 1);
    assert_eq!(
        (a.directives[0].id.as_str(), a.directives[0].line),
        ("CKV_AWS_24", 2)
    );
    let b = res(&m, "aws_instance.b");
    let ids: Vec<(&str, Option<&str>)> = b
        .directives
        .iter()
        .map(|d| (d.id.as_str(), d.reason.as_deref()))
        .collect();
    assert_eq!(ids, vec![("CKV_AWS_79", Some("after the last attribute"))]);
}

// ---------------------------------------------------------------------------------------
// modules terraform init installed, modules not read, Terraform-valid syntax

#[test]
fn installed_modules_are_read_where_modules_json_says() {
    let files = files_of("hcl/installed");
    // A dropped folder with its .terraform/modules: the manifest and the module files.
    assert!(files
        .iter()
        .any(|f| f.path == ".terraform/modules/modules.json"));
    let m = load(&files);
    no_errors(&m);
    assert_eq!(
        addresses(&m),
        vec![
            "module.bucket.aws_s3_bucket.this",
            "module.bucket.aws_s3_bucket_server_side_encryption_configuration.this",
            "module.bucket.module.logging.module.target.aws_cloudwatch_log_group.this",
        ],
        "the registry module, its local child and that child's registry module, at any depth; never the module's own examples"
    );
    let b = res(&m, "module.bucket.aws_s3_bucket.this");
    assert_eq!(s(b, "bucket"), "myorg-customer-data");
    assert_eq!(s(b, "tags.data-class"), "pii");
    // The git module was not installed: named, with what to do.
    assert_eq!(m.unread_modules.len(), 1, "{:#?}", m.unread_modules);
    let u = &m.unread_modules[0];
    assert_eq!(u.module, "module.audit");
    assert!(u.source.starts_with("git::"));
    assert!(u.reason.contains("(git)"), "{}", u.reason);
    assert!(
        u.how_to_include.contains("terraform init"),
        "{}",
        u.how_to_include
    );
}

#[test]
fn installed_module_version_comes_from_the_manifest() {
    let mut files = files_of("hcl/installed");
    // Without the installed files, the calls are named with the version init recorded.
    files.retain(|f| !f.path.starts_with(".terraform/modules/bucket"));
    let m = load(&files);
    let bucket = m
        .unread_modules
        .iter()
        .find(|u| u.module == "module.bucket")
        .expect("module.bucket is named");
    assert_eq!(bucket.version.as_deref(), Some("4.1.2"));
    assert!(
        bucket.reason.contains(".terraform/modules/bucket"),
        "{}",
        bucket.reason
    );
}

#[test]
fn a_registry_module_without_init_is_named_not_dropped() {
    let m = load_text(&[(
        "main.tf",
        "module \"bucket\" {\n  source  = \"terraform-aws-modules/s3-bucket/aws\"\n  version = \"4.1.0\"\n  tags    = { data-class = \"pii\" }\n}\n",
    )]);
    no_errors(&m);
    assert!(m.resources.is_empty());
    assert_eq!(m.unread_modules.len(), 1);
    let u = &m.unread_modules[0];
    assert_eq!(
        (u.module.as_str(), u.source.as_str(), u.version.as_deref()),
        (
            "module.bucket",
            "terraform-aws-modules/s3-bucket/aws",
            Some("4.1.0")
        )
    );
    assert!(u.reason.contains("Terraform registry"), "{}", u.reason);
}

#[test]
fn a_local_module_outside_the_files_given_is_named() {
    let m = load_text(&[(
        "envs/prod/main.tf",
        "module \"store\" {\n  source = \"../../modules/store\"\n}\n",
    )]);
    assert_eq!(m.unread_modules.len(), 1);
    assert!(
        m.unread_modules[0].reason.contains("modules/store"),
        "{}",
        m.unread_modules[0].reason
    );
    assert_eq!(
        planlens::engine::input::wanted_module_dirs(&[SourceFile::new(
            "envs/prod/main.tf",
            "module \"store\" {\n  source = \"../../modules/store\"\n}\n"
        )]),
        vec!["modules/store".to_string()]
    );
}

#[test]
fn a_block_written_as_an_argument_is_an_input_error_and_the_rest_is_read() {
    let m = load_text(&[(
        "main.tf",
        "resource \"aws_opensearch_domain\" \"search\" {\n  domain_name = \"s\"\n  node_to_node_encryption = { enabled = true }\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    )]);
    assert_eq!(m.errors.len(), 1, "{:#?}", m.errors);
    let e = &m.errors[0];
    assert_eq!((e.line, e.column), (Some(3), Some(3)));
    assert!(
        e.message.contains("node_to_node_encryption is a block"),
        "{}",
        e.message
    );
    assert_eq!(
        addresses(&m),
        vec!["aws_opensearch_domain.search", "aws_s3_bucket.b"]
    );
}

#[test]
fn a_repeated_object_key_keeps_the_last_value() {
    // terraform-aws-modules/terraform-aws-alb examples/complete-alb repeats a key in an
    // object constructor; Terraform 1.11 plans it with the last value.
    let m = load_text(&[(
        "main.tf",
        "locals {\n  listener = { port = 80, protocol = \"HTTP\", port = 443 }\n}\n\nresource \"aws_lb_listener\" \"l\" {\n  load_balancer_arn = \"arn\"\n  port              = local.listener.port\n  protocol          = local.listener.protocol\n}\n",
    )]);
    no_errors(&m);
    let l = res(&m, "aws_lb_listener.l");
    assert_eq!(known(l, "port"), &Value::Number(443.0));
}
