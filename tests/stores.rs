//! Every type the store catalogue judges, from committed fixtures (tests/fixtures/stores/,
//! written by gen.py): a PII store without a customer-managed key (`<type>.customer_nocmk`)
//! gets ENC001, the same with one (`<type>.customer_cmk`) is protected by that key and gets
//! none — read from the `.tf` files and from the real plan Terraform made of them. The
//! hierarchy, the matrix and the metrics read the same stores, so each store is also held to
//! sit under the right key node.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use planlens::engine::category::Category;
use planlens::engine::stores::{NoKey, Reader, CATALOGUE};
use planlens::engine::{check, Options, Report, SourceFile};

/// Types whose store without a key is encrypted as its source or parent is, which is not in
/// the input (a snapshot, an AMI, a bucket, a table): read in its favour, so no ENC001.
const INHERITS_WITHOUT_KEY: [&str; 14] = [
    "aws_ami",
    "aws_db_snapshot_copy",
    "aws_docdb_global_cluster",
    "aws_dynamodb_table_replica",
    "aws_ebs_snapshot_copy",
    "aws_ebs_snapshot_import",
    "aws_imagebuilder_distribution_configuration",
    "aws_imagebuilder_image_recipe",
    "aws_memorydb_snapshot",
    "aws_neptune_global_cluster",
    "aws_rds_cluster_snapshot_copy",
    "aws_rds_global_cluster",
    "aws_s3_bucket_replication_configuration",
    "aws_s3tables_table",
];

/// Types with no key argument: a PII store there can never have a CMK, so both forms get
/// ENC001.
fn keyless(rtype: &str) -> bool {
    CATALOGUE
        .iter()
        .any(|e| e.rtype == rtype && e.keys.is_empty() && e.reader == Reader::Catalogue)
        || rtype == "aws_launch_configuration"
}

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stores")
}

fn load(paths: &[std::path::PathBuf]) -> Report {
    let files: Vec<SourceFile> = paths
        .iter()
        .map(|p| {
            SourceFile::new(
                p.file_name().unwrap().to_string_lossy(),
                std::fs::read(p).unwrap(),
            )
        })
        .collect();
    check(&files, &Options::default())
}

/// Reports by fixture name.
type Named = Vec<(String, Report)>;

/// Every batch, each as (.tf report, plan report); and the `.tf`-only configuration.
fn reports() -> (Named, Named) {
    let mut tf = Vec::new();
    let mut plans = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("batch-") && !n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "batches not found: {names:?}");
    for n in names {
        tf.push((n.clone(), load(&[dir().join(&n).join("main.tf")])));
        let plan = dir().join(format!("{n}.plan.json"));
        assert!(plan.exists(), "{n} has no real plan: run gen.py");
        plans.push((n.clone(), load(&[plan])));
    }
    tf.push((
        "tf-only".into(),
        load(&[dir().join("tf-only").join("main.tf")]),
    ));
    (tf, plans)
}

/// Problems with one report's stores of `rtype`, in words.
fn judge(report: &Report, rtype: &str, form: &str, out: &mut Vec<String>) {
    let enc001: BTreeSet<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "ENC001")
        .filter_map(|f| f.address.as_deref())
        .collect();
    for variant in ["customer_nocmk", "customer_cmk"] {
        let address = format!("{rtype}.{variant}");
        let stores: Vec<_> = report
            .stores
            .iter()
            .filter(|s| s.address == address)
            .collect();
        if stores.is_empty() {
            out.push(format!("{form}: {address} is not a store"));
            continue;
        }
        for s in &stores {
            if s.category != Some(Category::Pii) {
                out.push(format!(
                    "{form}: {} is {:?}, not PII",
                    s.label(),
                    s.category
                ));
            }
        }
        let fired = enc001.contains(address.as_str());
        let want = match variant {
            "customer_nocmk" => !INHERITS_WITHOUT_KEY.contains(&rtype),
            _ => keyless(rtype) && !INHERITS_WITHOUT_KEY.contains(&rtype),
        };
        if fired != want {
            out.push(format!(
                "{form}: {address}: ENC001 {} (level {:?}, evidence {:?})",
                if fired { "fires" } else { "does not fire" },
                stores[0].level,
                stores[0].evidence()
            ));
        }
        if variant == "customer_cmk" && !keyless(rtype) {
            for s in &stores {
                if s.key.as_deref() != Some("aws_kms_key.pii") {
                    out.push(format!(
                        "{form}: {} is under {:?}, not aws_kms_key.pii",
                        s.label(),
                        s.key
                    ));
                }
            }
        }
    }
}

#[test]
fn every_judged_type_without_a_cmk_gets_enc001_and_with_one_does_not() {
    let (tf, plans) = reports();
    let specs: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir().join("specs.json")).unwrap()).unwrap();
    let mut problems = Vec::new();
    let mut planned = 0;
    for e in CATALOGUE.iter().filter(|e| e.judged()) {
        let in_tf: Vec<&Report> = tf
            .iter()
            .filter(|(_, r)| r.resources.iter().any(|x| x.rtype == e.rtype))
            .map(|(_, r)| r)
            .collect();
        let [report] = in_tf[..] else {
            problems.push(format!(
                "{}: in {} .tf fixtures, not one",
                e.rtype,
                in_tf.len()
            ));
            continue;
        };
        judge(report, e.rtype, ".tf", &mut problems);
        for st in report.stores.iter().filter(|st| st.rtype == e.rtype) {
            if st.service != e.service {
                problems.push(format!(
                    "{}: service {:?}, the catalogue says {:?}",
                    st.label(),
                    st.service,
                    e.service
                ));
            }
        }
        let offline = specs[e.rtype]["plan"].as_bool() != Some(false);
        let in_plan: Vec<&Report> = plans
            .iter()
            .filter(|(_, r)| r.resources.iter().any(|x| x.rtype == e.rtype))
            .map(|(_, r)| r)
            .collect();
        match (offline, &in_plan[..]) {
            (true, [report]) => {
                planned += 1;
                judge(report, e.rtype, "plan", &mut problems);
            }
            (false, []) => {}
            (_, found) => problems.push(format!(
                "{}: in {} plans (planned offline: {offline})",
                e.rtype,
                found.len()
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(planned >= 190, "only {planned} types planned");
}

/// The list of types read in their favour is exactly the catalogue's: those whose store
/// without a key inherits (no key and no switch set in the fixture).
#[test]
fn inherited_types_are_the_catalogues() {
    for t in INHERITS_WITHOUT_KEY {
        let e = CATALOGUE.iter().find(|e| e.rtype == t).unwrap();
        let inherits = e.no_key == NoKey::Inherited
            || e.switch
                .is_some_and(|s| s.off == NoKey::Inherited && s.default_on);
        assert!(inherits, "{t} does not inherit");
    }
    for e in CATALOGUE
        .iter()
        .filter(|e| e.reader == Reader::Catalogue && e.no_key == NoKey::Inherited)
    {
        let nocmk_sets_switch = e.switch.is_some_and(|s| !s.default_on);
        assert!(
            INHERITS_WITHOUT_KEY.contains(&e.rtype) || nocmk_sets_switch,
            "{} inherits but is expected to fire",
            e.rtype
        );
    }
}

/// Each CMK-protected fixture store sits under the key in the hierarchy, and the PII metric
/// counts the stores.
#[test]
fn stores_reach_the_hierarchy_and_metrics() {
    let (_, plans) = reports();
    for (name, report) in &plans {
        let key = report
            .keys
            .iter()
            .find(|k| k.id == "aws_kms_key.pii")
            .unwrap_or_else(|| panic!("{name}: no key node"));
        let protected: BTreeMap<&str, ()> = key.stores.iter().map(|s| (s.as_str(), ())).collect();
        let cmk_stores = report
            .stores
            .iter()
            .filter(|s| s.key.as_deref() == Some("aws_kms_key.pii"))
            .count();
        assert!(cmk_stores > 10, "{name}: {cmk_stores}");
        for s in report
            .stores
            .iter()
            .filter(|s| s.key.as_deref() == Some("aws_kms_key.pii"))
        {
            assert!(protected.contains_key(s.address.as_str()), "{}", s.address);
        }
        // Every fixture store is PII: the PII/financial metric counts each one, and those
        // under the CMK (or inheriting, read in their favour) as met.
        let metric = &report.metrics["pii_financial_cmk"];
        let labels: BTreeSet<String> = report.stores.iter().map(|s| s.label()).collect();
        assert_eq!(metric.denominator, labels.len(), "{name}");
        let met: BTreeSet<String> = report
            .stores
            .iter()
            .filter(|s| s.level >= planlens::engine::category::Level::Cmk)
            .map(|s| s.label())
            .collect();
        assert_eq!(metric.numerator, met.len(), "{name}");
        assert!(met.len() >= cmk_stores / 2, "{name}");
        assert!(metric.numerator < metric.denominator, "{name}");
    }
}

/// docs/stores.md is generated from the catalogue; `PLANLENS_BLESS=1` rewrites it. The
/// README's coverage paragraph states the same count.
#[test]
fn committed_stores_doc_and_readme_match_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("docs/stores.md");
    let generated = planlens::engine::stores::catalogue_markdown();
    if std::env::var_os("PLANLENS_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write docs/stores.md");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/stores.md differs from the catalogue (rerun with PLANLENS_BLESS=1)"
    );
    let judged = CATALOGUE.iter().filter(|e| e.judged()).count();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    assert!(
        readme.contains(&format!(
            "<!-- stores:count -->{judged}<!-- /stores:count -->"
        )),
        "README.md's data-store count is not {judged}"
    );
    assert!(readme.contains("[docs/stores.md](docs/stores.md)"));
    let enc001 = planlens::engine::rules::rule("ENC001").expect("ENC001");
    assert!(
        enc001
            .docs
            .contains(&format!("any of the {judged} types in the store catalogue")),
        "ENC001's documentation does not say {judged} types"
    );
}

/// A store that exists only with its block (an OpsWorks layer's EBS volumes) is no store
/// without it, in `.tf` and in plan JSON (which writes the absent block as `[]`); Kinesis
/// `encryption_type = "KMS"` without a key names none and stays unencrypted; an Aurora
/// Serverless v1 cluster is encrypted whatever `storage_encrypted` says.
#[test]
fn catalogue_edge_cases() {
    let tf = check(
        &[SourceFile::new(
            "main.tf",
            r#"
resource "aws_opsworks_custom_layer" "novolume" {
  name       = "customer"
  short_name = "c"
  stack_id   = "s"
}
resource "aws_kinesis_stream" "customer" {
  name            = "customer"
  shard_count     = 1
  encryption_type = "KMS"
}
resource "aws_rds_cluster" "customer" {
  engine            = "aurora-mysql"
  engine_mode       = "serverless"
  storage_encrypted = false
}
"#,
        )],
        &Options::default(),
    );
    assert!(tf
        .stores
        .iter()
        .all(|s| s.rtype != "aws_opsworks_custom_layer"));
    let kinesis = tf
        .stores
        .iter()
        .find(|s| s.rtype == "aws_kinesis_stream")
        .unwrap();
    assert_eq!(kinesis.level, planlens::engine::category::Level::None);
    assert!(kinesis.key.is_none());
    let aurora = tf
        .stores
        .iter()
        .find(|s| s.rtype == "aws_rds_cluster")
        .unwrap();
    assert_eq!(aurora.key.as_deref(), Some("aws-managed:alias/aws/rds"));

    // The real plan of the OpsWorks batch, with the volume block removed.
    let plan_path = dir().join("batch-05.plan.json");
    let mut plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&plan_path).unwrap()).unwrap();
    let mut emptied = 0;
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        if rc["address"] == "aws_opsworks_custom_layer.customer_nocmk" {
            rc["change"]["after"]["ebs_volume"] = serde_json::json!([]);
            rc["change"]["after_unknown"]["ebs_volume"] = serde_json::json!([]);
            emptied += 1;
        }
    }
    for r in plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
    {
        if r["address"] == "aws_opsworks_custom_layer.customer_nocmk" {
            r["values"]["ebs_volume"] = serde_json::json!([]);
            emptied += 1;
        }
    }
    assert_eq!(emptied, 2, "the OpsWorks layer moved out of batch-05");
    let report = check(
        &[SourceFile::new(
            "plan.json",
            serde_json::to_vec(&plan).unwrap(),
        )],
        &Options::default(),
    );
    assert!(report
        .stores
        .iter()
        .all(|s| s.address != "aws_opsworks_custom_layer.customer_nocmk"));
    assert!(report
        .stores
        .iter()
        .any(|s| s.address == "aws_opsworks_custom_layer.customer_cmk"));
}

/// An S3 object without its own encryption takes its bucket's default encryption: the
/// bucket's CMK when the bucket is in the input, SSE-S3 when it is not.
#[test]
fn s3_objects_take_their_buckets_encryption() {
    let report = check(
        &[SourceFile::new(
            "main.tf",
            r#"
resource "aws_kms_key" "pii" {}
resource "aws_s3_bucket" "customer" {
  bucket = "customer-data"
  tags   = { data-class = "pii" }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "customer" {
  bucket = aws_s3_bucket.customer.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.pii.arn
    }
  }
}
resource "aws_s3_object" "in_cmk_bucket" {
  bucket = aws_s3_bucket.customer.id
  key    = "export.csv"
  tags   = { data-class = "pii" }
}
resource "aws_s3_object" "elsewhere" {
  bucket = "someone-elses-bucket"
  key    = "export.csv"
  tags   = { data-class = "pii" }
}
"#,
        )],
        &Options::default(),
    );
    let store = |a: &str| report.stores.iter().find(|s| s.address == a).unwrap();
    assert_eq!(
        store("aws_s3_object.in_cmk_bucket").key.as_deref(),
        Some("aws_kms_key.pii")
    );
    assert_eq!(
        store("aws_s3_object.elsewhere").level,
        planlens::engine::category::Level::ProviderOwned
    );
    let enc001: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "ENC001")
        .filter_map(|f| f.address.as_deref())
        .collect();
    assert_eq!(enc001, ["aws_s3_object.elsewhere"]);
}
