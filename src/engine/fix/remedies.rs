//! Per rule: the mechanical remedy for a finding, as operations on the resource's block.
//!
//! A remedy is offered only where the change is certain: the attribute is absent or a
//! literal (`enable_key_rotation = var.rotate` is the module author's decision, not ours),
//! the block is written out (not produced by `dynamic`), and the file is the user's (not a
//! module installed under `.terraform/`). Whether it is safe comes from what the change
//! does to clients ([`Behaviour`]) and from what real Terraform planned for it
//! ([`super::evidence`]).

use std::collections::BTreeMap;

use super::evidence;
use super::{Edit, Fix, FixCx, Op, Reach, Safety};
use crate::engine::category::{Category, Level};
use crate::engine::model::{Lookup, Model, Origin, Resource};
use crate::engine::rules::Finding;
use crate::engine::stores::{self, Analysis, KeyKind, Reader};

/// What a change does to the clients of a resource that already meet the policy.
#[derive(Clone, Copy)]
enum Behaviour {
    Same,
    /// It changes what clients can do: the consequence, in words.
    Changes(&'static str),
}

/// A remedy that sets one attribute: which findings it serves and what it writes.
struct Setting {
    rule: &'static str,
    /// Resource types it applies to; empty: every type the rule flags.
    types: &'static [&'static str],
    /// The finding's attribute ends with this (`""`: any).
    when: &'static str,
    /// The evidence pair's fix id.
    fix: &'static str,
    /// The attribute path to set; `None`: the finding's own attribute.
    path: Option<&'static str>,
    value: &'static str,
    behaviour: Behaviour,
}

const LB_LISTENERS: &[&str] = &["aws_lb_listener", "aws_alb_listener"];
const OLD_CLIENTS: Behaviour =
    Behaviour::Changes("clients that speak only TLS 1.0 or 1.1 can no longer connect");

#[rustfmt::skip]
const SETTINGS: &[Setting] = &[
    Setting { rule: "KMS001", types: &[], when: "", fix: "kms-rotation", path: Some("enable_key_rotation"), value: "true", behaviour: Behaviour::Same },
    Setting { rule: "KMS002", types: &[], when: "", fix: "kms-deletion-window", path: Some("deletion_window_in_days"), value: "30", behaviour: Behaviour::Same },
    Setting { rule: "TLS001", types: LB_LISTENERS, when: "", fix: "lb-tls-policy", path: Some("ssl_policy"), value: "\"ELBSecurityPolicy-TLS13-1-2-2021-06\"", behaviour: OLD_CLIENTS },
    // Both policies refuse TLS 1.0/1.1; the new one adds TLS 1.3.
    Setting { rule: "TLS002", types: LB_LISTENERS, when: "", fix: "lb-tls-policy", path: Some("ssl_policy"), value: "\"ELBSecurityPolicy-TLS13-1-2-2021-06\"", behaviour: Behaviour::Same },
    Setting { rule: "TLS004", types: &[], when: "minimum_protocol_version", fix: "cloudfront-min-protocol", path: Some("viewer_certificate.0.minimum_protocol_version"), value: "\"TLSv1.2_2021\"", behaviour: Behaviour::Changes("viewers that cannot negotiate TLS 1.2 can no longer connect") },
    Setting { rule: "TLS005", types: &[], when: "viewer_protocol_policy", fix: "cloudfront-viewer-https", path: None, value: "\"redirect-to-https\"", behaviour: Behaviour::Changes("HTTP viewers are redirected to HTTPS; clients that do not follow redirects stop working") },
    Setting { rule: "TLS006", types: &[], when: "origin_protocol_policy", fix: "cloudfront-origin-tls", path: None, value: "\"https-only\"", behaviour: Behaviour::Changes("CloudFront reaches the origin over HTTPS only: the origin must serve TLS 1.2 with a valid certificate") },
    Setting { rule: "TLS006", types: &[], when: "origin_ssl_protocols", fix: "cloudfront-origin-tls", path: None, value: "[\"TLSv1.2\"]", behaviour: Behaviour::Changes("CloudFront no longer reaches an origin that cannot speak TLS 1.2") },
    Setting { rule: "TLS007", types: &[], when: "security_policy", fix: "api-gateway-tls", path: None, value: "\"TLS_1_2\"", behaviour: OLD_CLIENTS },
    Setting { rule: "TLS008", types: &[], when: "transit_encryption_mode", fix: "elasticache-transit", path: None, value: "\"required\"", behaviour: Behaviour::Changes("clients must connect with TLS; plain-text clients are refused") },
    Setting { rule: "TLS008", types: &[], when: "transit_encryption_enabled", fix: "elasticache-transit", path: None, value: "true", behaviour: Behaviour::Changes("clients must connect with TLS; plain-text clients are refused") },
    Setting { rule: "TLS009", types: &[], when: "enforce_https", fix: "opensearch-https", path: None, value: "true", behaviour: Behaviour::Changes("plain-HTTP requests to the domain are refused") },
    Setting { rule: "TLS009", types: &[], when: "tls_security_policy", fix: "opensearch-https", path: None, value: "\"Policy-Min-TLS-1-2-2019-07\"", behaviour: OLD_CLIENTS },
    Setting { rule: "TLS010", types: &[], when: "", fix: "opensearch-node-to-node", path: Some("node_to_node_encryption.0.enabled"), value: "true", behaviour: Behaviour::Same },
    Setting { rule: "CRT001", types: &[], when: "", fix: "acm-dns-validation", path: Some("validation_method"), value: "\"DNS\"", behaviour: Behaviour::Changes("the certificate is validated by DNS: its validation CNAME records must be created (aws_route53_record, aws_acm_certificate_validation)") },
    Setting { rule: "CRT002", types: &[], when: "", fix: "acm-create-before-destroy", path: Some("lifecycle.0.create_before_destroy"), value: "true", behaviour: Behaviour::Same },
    Setting { rule: "RDS001", types: &[], when: "", fix: "rds-not-public", path: Some("publicly_accessible"), value: "false", behaviour: Behaviour::Changes("the database is no longer reachable from outside its VPC") },
    Setting { rule: "RDS002", types: &[], when: "", fix: "rds-deletion-protection", path: Some("deletion_protection"), value: "true", behaviour: Behaviour::Same },
    Setting { rule: "RDS004", types: &[], when: "", fix: "rds-iam-auth", path: Some("iam_database_authentication_enabled"), value: "true", behaviour: Behaviour::Same },
    Setting { rule: "EBS001", types: &["aws_ebs_encryption_by_default"], when: "", fix: "ebs-default-encryption", path: Some("enabled"), value: "true", behaviour: Behaviour::Same },
];

/// The fix for one finding, if its remedy is mechanical.
pub(super) fn fix_for(cx: &FixCx, f: &Finding) -> Option<Fix> {
    if f.rule == "EBS001" && f.address.is_none() {
        return ebs_default(cx, f);
    }
    let r = cx.model.get(f.address.as_deref()?)?;
    let attr = f.attribute.as_deref().unwrap_or("");
    match f.rule.as_str() {
        "S3001" => return bucket_key(cx, r),
        "TLS003" => return http_redirect(cx, r),
        "TLS011" => return redshift_ssl(cx, f),
        "ENC001" => return store_key(cx, f, r),
        "RDS003" => {
            // From 0 (no automated backups) to a nonzero period is an outage (RDS, "Settings
            // for DB instances": backup retention period).
            let behaviour = match r.get("backup_retention_period") {
                Lookup::Known(v) if v.as_f64() == Some(0.0) => Behaviour::Changes(
                    "turning automated backups on causes a brief outage of the instance",
                ),
                _ => Behaviour::Same,
            };
            return simple(
                cx,
                r,
                "rds-backup-retention",
                "backup_retention_period",
                "7",
                behaviour,
            );
        }
        _ => {}
    }
    let s = SETTINGS.iter().find(|s| {
        s.rule == f.rule
            && (s.types.is_empty() || s.types.contains(&r.rtype.as_str()))
            && attr.ends_with(s.when)
    })?;
    let path = s.path.unwrap_or(attr);
    simple(cx, r, s.fix, path, s.value, s.behaviour)
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

/// Whether the attribute at `path` may be rewritten: absent, or a literal in the source, on
/// a block path an edit may follow or make ([`super::descend`]).
fn rewritable(cx: &FixCx, r: &Resource, path: &str) -> bool {
    let Some((_, body)) = cx.block_of(r) else {
        return false;
    };
    let parts: Vec<&str> = path.split('.').collect();
    let Some((key, blocks)) = parts.split_last() else {
        return false;
    };
    match super::descend(body, blocks) {
        Some(Reach::Found(at, _)) => at.attr(key).is_none_or(|a| a.literal().is_some()),
        // Missing blocks are made by the edit.
        Some(Reach::Missing { .. }) => true,
        None => false,
    }
}

/// Sets one attribute: the fix most rules have.
fn simple(
    cx: &FixCx,
    r: &Resource,
    fix_id: &str,
    path: &str,
    value: &str,
    behaviour: Behaviour,
) -> Option<Fix> {
    if !rewritable(cx, r, path) {
        return None;
    }
    let edit = cx.edit_block(r, &[Op::set(path, value)])?;
    let shown = path.replace(".0.", ".");
    let description = format!("Set {shown} = {value} on {}.", r.config_address());
    Some(decide(fix_id, &r.rtype, description, behaviour, vec![edit]))
}

/// The fix's safety from the plan evidence and what it does to clients.
fn decide(
    fix_id: &str,
    rtype: &str,
    description: String,
    behaviour: Behaviour,
    edits: Vec<Edit>,
) -> Fix {
    let planned = evidence::lookup(fix_id, rtype);
    let (replaces, plan) = match planned {
        Some(p) => (
            p.replaces(),
            format!(
                "{} (planned: tests/fixtures/fixes/evidence/{})",
                p.actions, p.pair
            ),
        ),
        None => (false, "not planned".to_string()),
    };
    // The provider plans no change for an existing resource: only a new one gets the setting.
    let behaviour = match planned {
        Some(p) if p.actions == "no-op" && fix_id == "store-cmk" => Behaviour::Changes(
            "the provider plans no change for an existing resource: only one created anew is encrypted with the key",
        ),
        _ => behaviour,
    };
    let (safety, consequence) = match (replaces, behaviour, planned.is_some()) {
        (true, _, _) => (
            Safety::Unsafe,
            Some(format!(
                "replaces the {}: {}",
                noun(rtype),
                replacement_cost(rtype)
            )),
        ),
        (false, Behaviour::Changes(what), _) => (Safety::Unsafe, Some(what.to_string())),
        (false, Behaviour::Same, true) => (Safety::Safe, None),
        (false, Behaviour::Same, false) => (
            Safety::Unsafe,
            Some("not planned with real Terraform: review the plan before applying".into()),
        ),
    };
    Fix {
        safety,
        description,
        consequence,
        plan,
        edits,
    }
}

/// What the resource is, for "replaces the …".
fn noun(rtype: &str) -> String {
    match rtype {
        "aws_db_instance" => "database".into(),
        "aws_rds_cluster" | "aws_docdb_cluster" | "aws_neptune_cluster" => {
            "database cluster".into()
        }
        "aws_acm_certificate" => "certificate".into(),
        t if t.contains("volume") => "volume".into(),
        t => t.trim_start_matches("aws_").replace('_', " "),
    }
}

/// What a replacement costs, in words.
fn replacement_cost(rtype: &str) -> &'static str {
    match rtype {
        "aws_db_instance"
        | "aws_rds_cluster"
        | "aws_docdb_cluster"
        | "aws_neptune_cluster"
        | "aws_redshift_cluster" => {
            "snapshot it and restore the snapshot with the new settings, or the data is lost"
        }
        "aws_acm_certificate" => {
            "a new certificate is requested and validated; the old one is deleted"
        }
        t if t.contains("volume") || t.contains("file_system") => {
            "a new, empty one is created: copy the data (a snapshot) first"
        }
        _ => "the resource is destroyed and created anew, with its data: move the data first",
    }
}

/// S3001: `bucket_key_enabled = true` in the rule that sets SSE-KMS.
fn bucket_key(cx: &FixCx, bucket: &Resource) -> Option<Fix> {
    let store = cx.analysis.store(&bucket.address)?;
    let decided = store.decided_by.as_ref()?;
    let holder = cx.model.get(&decided.address)?;
    let rule = &decided.attribute[..decided
        .attribute
        .find(".apply_server_side_encryption_by_default")?];
    simple(
        cx,
        holder,
        "s3-bucket-key",
        &format!("{rule}.bucket_key_enabled"),
        "true",
        Behaviour::Same,
    )
}

/// TLS003: the HTTP listener's one default action becomes a permanent redirect to HTTPS.
fn http_redirect(cx: &FixCx, r: &Resource) -> Option<Fix> {
    if !matches!(r.rtype.as_str(), "aws_lb_listener" | "aws_alb_listener") {
        return None;
    }
    let (_, body) = cx.block_of(r)?;
    if body.blocks("default_action").len() != 1 {
        return None;
    }
    let redirect = "default_action {\n  type = \"redirect\"\n\n  redirect {\n    port        = \"443\"\n    protocol    = \"HTTPS\"\n    status_code = \"HTTP_301\"\n  }\n}";
    let edit = cx.edit_block(
        r,
        &[Op::ReplaceBlock("default_action.0".into(), redirect.into())],
    )?;
    Some(decide(
        "lb-http-redirect",
        &r.rtype,
        format!("Redirect {} to HTTPS (301) instead of serving HTTP.", r.config_address()),
        Behaviour::Changes("HTTP clients get a 301 to HTTPS on port 443, which needs an HTTPS listener; clients that do not follow redirects stop working"),
        vec![edit],
    ))
}

/// TLS011: `require_ssl = true` in the cluster's own parameter group (a default group can't
/// be changed: that remedy is a new group, a decision about the cluster's parameters).
fn redshift_ssl(cx: &FixCx, f: &Finding) -> Option<Fix> {
    let group = cx.model.get(f.decided_by.as_deref()?)?;
    if group.rtype != "aws_redshift_parameter_group" {
        return None;
    }
    let (_, body) = cx.block_of(group)?;
    let params = body.blocks("parameter");
    let at = params.iter().position(|(_, p)| {
        p.attr("name")
            .and_then(|a| a.unquoted().map(str::to_string))
            .as_deref()
            == Some("require_ssl")
    });
    let op = match at {
        Some(i) => {
            if !rewritable(cx, group, &format!("parameter.{i}.value")) {
                return None;
            }
            Op::set(&format!("parameter.{i}.value"), "\"true\"")
        }
        None => Op::Set(
            format!("parameter.{}.name", params.len()),
            "\"require_ssl\"".into(),
        ),
    };
    let mut ops = vec![op];
    if at.is_none() {
        ops.push(Op::set(
            &format!("parameter.{}.value", params.len()),
            "\"true\"",
        ));
    }
    let edit = cx.edit_block(group, &ops)?;
    Some(decide(
        "redshift-require-ssl",
        &group.rtype,
        format!("Set require_ssl = true in {}.", group.config_address()),
        Behaviour::Changes(
            "clients must connect with SSL; the cluster applies the parameter after a reboot",
        ),
        vec![edit],
    ))
}

/// EBS001 for a provider without the resource: a new `aws_ebs_encryption_by_default` in the
/// file that configures the provider.
fn ebs_default(cx: &FixCx, f: &Finding) -> Option<Fix> {
    let key = f.evidence.get("provider")?.as_str()?;
    if key.contains(':') {
        // A child module's own provider: the module's author decides.
        return None;
    }
    let provider = cx.model.providers.iter().find(|p| p.key == key)?;
    let file = match &provider.origin {
        Origin::Span(s) => s.file,
        _ => cx
            .model
            .resources
            .iter()
            .filter(|r| r.module.is_empty())
            .find_map(|r| cx.block_start(r).map(|(file, _)| file))?,
    };
    if !cx.editable(file) {
        return None;
    }
    let name = match &provider.alias {
        Some(a) => a.clone(),
        None => "this".into(),
    };
    if cx
        .model
        .get(&format!("aws_ebs_encryption_by_default.{name}"))
        .is_some()
    {
        return None;
    }
    let provider_line = match &provider.alias {
        Some(a) => format!("  provider = aws.{a}\n"),
        None => String::new(),
    };
    let text = format!(
        "resource \"aws_ebs_encryption_by_default\" \"{name}\" {{\n{provider_line}  enabled = true\n}}"
    );
    Some(decide(
        "ebs-default-encryption",
        "aws_ebs_encryption_by_default",
        format!("Add aws_ebs_encryption_by_default.{name} (enabled = true) for provider {key}."),
        Behaviour::Same,
        vec![cx.append(file, &text)],
    ))
}

/// Where the key of a (module, category) comes from for ENC001's fix.
#[derive(Clone, Debug)]
pub(super) enum KeyHome {
    /// The configuration's own key of that category in that module (`aws_kms_key.pii`).
    Existing(String),
    /// A new key, written at the end of this file (that of the category's first store), with
    /// the service statements its stores need.
    New(usize, Services),
}

/// Services whose stores use a key only when its policy lets the service principal in.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Services {
    /// CloudWatch Logs log groups: `logs.<region>.amazonaws.com`.
    logs: bool,
    /// CloudTrail trails: `cloudtrail.amazonaws.com`.
    trail: bool,
}

/// Per (module, category) of the stores ENC001 finds below a customer key: its key's home.
pub(super) fn key_homes(
    model: &Model,
    analysis: &Analysis,
    findings: &[Finding],
) -> BTreeMap<(String, String), KeyHome> {
    let mut homes = BTreeMap::new();
    for f in findings.iter().filter(|f| f.rule == "ENC001") {
        let Some(r) = f.address.as_deref().and_then(|a| model.get(a)) else {
            continue;
        };
        let Some(category) = f.category else { continue };
        let Origin::Span(s) = &r.origin else { continue };
        let k = (r.module.clone(), category.as_str().to_string());
        if let Some(KeyHome::New(_, services)) = homes.get_mut(&k) {
            services.add(&r.rtype);
        }
        if homes.contains_key(&k) {
            continue;
        }
        let existing = analysis.keys.iter().find(|key| {
            key.kind == KeyKind::Cmk
                && key.category == Some(category)
                && key
                    .address
                    .as_deref()
                    .and_then(|a| model.get(a))
                    .is_some_and(|kr| kr.module == r.module && kr.rtype == "aws_kms_key")
        });
        let home = match existing
            .and_then(|k| k.address.as_deref())
            .and_then(|a| model.get(a))
        {
            Some(kr) => KeyHome::Existing(format!("{}.{}", kr.rtype, kr.name)),
            None => {
                let mut services = Services::default();
                services.add(&r.rtype);
                KeyHome::New(s.file, services)
            }
        };
        homes.insert(k, home);
    }
    homes
}

/// ENC001: the store points at its category's customer-managed key — the configuration's
/// own key of that category, or one made once per category as the seed writes it.
fn store_key(cx: &FixCx, f: &Finding, r: &Resource) -> Option<Fix> {
    let category = f.category?;
    let store = cx.analysis.store(&r.address)?;
    if store.part.is_some() || store.minimum(cx.config) < Level::Cmk {
        // A block device of an instance, or a category whose minimum is not a customer key.
        return None;
    }
    let home = cx
        .homes
        .get(&(r.module.clone(), category.as_str().to_string()))?;
    let (key_ref, new_key) = match home {
        KeyHome::Existing(address) => (format!("{address}.arn"), None),
        KeyHome::New(file, services) => {
            let name = category.as_str();
            let clash = cx
                .model
                .resources
                .iter()
                .any(|k| k.module == r.module && k.rtype == "aws_kms_key" && k.name == name);
            if clash {
                return None;
            }
            (
                format!("aws_kms_key.{name}.arn"),
                Some(cx.append(*file, &category_key(cx, r, category, *services))),
            )
        }
    };
    let (holder, edit) = match key_ops(cx, store, r, &key_ref) {
        Some((holder, ops)) => (holder, cx.edit_block(holder, &ops)?),
        None => (r, new_s3_encryption(cx, store, r, &key_ref)?),
    };
    let existing_key = new_key.is_none();
    let mut edits = vec![edit];
    edits.extend(new_key);
    let description = format!(
        "Encrypt {} with the {} key ({}).",
        r.config_address(),
        category.as_str(),
        key_ref.trim_end_matches(".arn")
    );
    Some(decide(
        "store-cmk",
        &holder.rtype,
        description,
        Behaviour::Changes(match holder.rtype.as_str() {
            // A key planlens writes has the service statement; an existing one may not.
            "aws_cloudwatch_log_group" if existing_key => "the log group's data is encrypted under the key, whose policy must allow the CloudWatch Logs service principal (logs.<region>.amazonaws.com) for the change to apply; readers need kms:Decrypt on it",
            "aws_cloudtrail" if existing_key => "the trail's log files are encrypted under the key, whose policy must allow cloudtrail.amazonaws.com (kms:GenerateDataKey*) for the change to apply; readers need kms:Decrypt on it",
            _ => "the data is encrypted under a new key: writes use it from then on, and whoever reads the data needs kms:Decrypt on it",
        }),
        edits,
    ))
}

/// A bucket with no encryption configuration at all: its companion resource (provider v4+),
/// written right after the bucket.
fn new_s3_encryption(
    cx: &FixCx,
    store: &stores::DataStore,
    bucket: &Resource,
    key_ref: &str,
) -> Option<Edit> {
    const COMPANION: &str = stores::S3_ENCRYPTION_COMPANION;
    let inline = store.decided_by.as_ref().is_some_and(|d| {
        d.address != bucket.address
            || d.attribute
                .starts_with("server_side_encryption_configuration")
    });
    if store.rtype != "aws_s3_bucket" || inline || bucket.index.is_some() {
        return None;
    }
    let name = &bucket.name;
    if cx
        .model
        .resources
        .iter()
        .any(|c| c.rtype == COMPANION && c.module == bucket.module && &c.name == name)
    {
        return None;
    }
    let Origin::Span(span) = &bucket.origin else {
        return None;
    };
    cx.block_start(bucket)?;
    let at = span.end as usize;
    let text = format!(
        "\n\nresource \"{COMPANION}\" \"{name}\" {{\n  bucket = aws_s3_bucket.{name}.id\n\n  rule {{\n    apply_server_side_encryption_by_default {{\n      sse_algorithm     = \"aws:kms\"\n      kms_master_key_id = {key_ref}\n    }}\n    bucket_key_enabled = true\n  }}\n}}"
    );
    Some(Edit {
        file: cx.path(span.file).to_string(),
        start: at as u32,
        end: at as u32,
        replacement: text,
    })
}

/// Where the store's key goes: the resource to edit and the operations on it.
fn key_ops<'m>(
    cx: &FixCx<'m>,
    store: &stores::DataStore,
    r: &'m Resource,
    key_ref: &str,
) -> Option<(&'m Resource, Vec<Op>)> {
    if store.rtype == "aws_s3_bucket" {
        // The encryption companion (provider v4+): its default rule takes the key.
        let decided = store.decided_by.as_ref()?;
        let holder = cx.model.get(&decided.address)?;
        if holder.rtype != "aws_s3_bucket_server_side_encryption_configuration" {
            return None;
        }
        let base = "rule.0.apply_server_side_encryption_by_default.0";
        for p in ["sse_algorithm", "kms_master_key_id"] {
            if !rewritable(cx, holder, &format!("{base}.{p}")) {
                return None;
            }
        }
        // With the bucket key on, as the seed writes it (S3001 otherwise).
        let mut ops = vec![
            Op::set(&format!("{base}.sse_algorithm"), "\"aws:kms\""),
            Op::set(&format!("{base}.kms_master_key_id"), key_ref),
        ];
        if rewritable(cx, holder, "rule.0.bucket_key_enabled") {
            ops.push(Op::set("rule.0.bucket_key_enabled", "true"));
        }
        return Some((holder, ops));
    }
    let entry = stores::catalogue_entry(&store.rtype)?;
    if !matches!(entry.reader, Reader::Catalogue | Reader::Code) {
        return None;
    }
    let key_path = *entry.keys.first()?;
    let mut ops = Vec::new();
    let switch = match KEY_SWITCHES.iter().find(|(t, _)| *t == store.rtype) {
        Some((_, KeySwitch::Set(path, value))) => {
            if !rewritable(cx, r, path) {
                return None;
            }
            ops.push(Op::set(path, *value));
            None
        }
        Some((_, KeySwitch::Drop(path))) => {
            match r.get(path) {
                Lookup::Absent => {}
                _ if rewritable(cx, r, path) => ops.push(Op::Remove(path.to_string())),
                _ => return None,
            }
            None
        }
        None => entry.switch,
    };
    if let Some(switch) = switch {
        let on = *switch.on.first()?;
        let value = if on == "true" || on == "false" {
            on.to_string()
        } else {
            quoted(on)
        };
        let is_on = match r.get(switch.path) {
            Lookup::Known(v) => switch
                .on
                .iter()
                .any(|o| v.display().eq_ignore_ascii_case(o)),
            Lookup::Absent => switch.default_on,
            Lookup::Unknown(_) => return None,
        };
        if !is_on {
            if !rewritable(cx, r, switch.path) {
                return None;
            }
            ops.push(Op::set(switch.path, value));
        }
    }
    if !rewritable(cx, r, key_path) {
        return None;
    }
    ops.push(Op::set(key_path, key_ref));
    Some((r, ops))
}

/// What else a type's key needs than its catalogue entry's switch.
enum KeySwitch {
    /// This attribute set to this value.
    Set(&'static str, &'static str),
    /// This attribute gone: it conflicts with the key argument.
    Drop(&'static str),
}

const KEY_SWITCHES: &[(&str, KeySwitch)] = &[
    // DynamoDB reads kms_key_arn only with server_side_encryption { enabled = true }.
    (
        "aws_dynamodb_table",
        KeySwitch::Set("server_side_encryption.0.enabled", "true"),
    ),
    // The provider rejects sqs_managed_sse_enabled beside kms_master_key_id ("conflicts with
    // kms_master_key_id", tests/fixtures/fixes/evidence: store-cmk--extra).
    ("aws_sqs_queue", KeySwitch::Drop("sqs_managed_sse_enabled")),
];

impl Services {
    fn add(&mut self, rtype: &str) {
        self.logs |= rtype == "aws_cloudwatch_log_group";
        self.trail |= rtype == "aws_cloudtrail";
    }
}

/// The data sources the key policy reads, unless the module already declares them.
fn data_sources(cx: &FixCx, r: &Resource, services: Services) -> String {
    let declared = |t: &str| {
        cx.model
            .resources
            .iter()
            .any(|d| d.module == r.module && d.rtype == t && d.name == "current")
    };
    let mut out = String::new();
    if !declared("aws_caller_identity") {
        out.push_str("data \"aws_caller_identity\" \"current\" {}\n\n");
    }
    if services.logs && !declared("aws_region") {
        out.push_str("data \"aws_region\" \"current\" {}\n\n");
    }
    out
}

/// The key policy's statements for the services its stores need (the CloudWatch Logs and
/// CloudTrail guides' statements, scoped by encryption context to this account).
fn service_statements(services: Services) -> String {
    let mut out = String::new();
    if services.logs {
        out.push_str(r#",
      {
        Sid       = "AllowCloudWatchLogs"
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.name}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*"
          }
        }
      }"#);
    }
    if services.trail {
        out.push_str(r#",
      {
        Sid       = "AllowCloudTrailEncrypt"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = {
          StringLike = {
            "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:aws:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*"
          }
        }
      },
      {
        Sid       = "AllowCloudTrailDescribeKey"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:DescribeKey"
        Resource  = "*"
      }"#);
    }
    out
}

/// The category's key as the seed writes it: rotation on, a 30-day deletion window, a key
/// policy that gives the account root the key (and the services its stores need), an alias
/// `alias/cmk-<category>`, the tag.
fn category_key(cx: &FixCx, r: &Resource, category: Category, services: Services) -> String {
    let name = category.as_str();
    let tag_key = cx
        .config
        .tag_keys
        .first()
        .map_or("data-class", String::as_str);
    let data = data_sources(cx, r, services);
    let services = service_statements(services);
    format!(
        r#"{data}# CMK for {label}, written by planlens fix (the seed's key layout).
resource "aws_kms_key" "{name}" {{
  description             = "CMK for {label}"
  deletion_window_in_days = 30
  enable_key_rotation     = true

  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "EnableIAMUserPermissions"
        Effect    = "Allow"
        Principal = {{ AWS = "arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root" }}
        Action    = "kms:*"
        Resource  = "*"
      }}{services}
    ]
  }})

  tags = {{
    {tag_key} = "{name}"
  }}
}}

resource "aws_kms_alias" "{name}" {{
  name          = "alias/cmk-{name}"
  target_key_id = aws_kms_key.{name}.key_id
}}"#,
        label = category.label(),
    )
}

impl FixCx<'_> {
    /// Whether `file` is a `.tf` file planlens may edit.
    pub(super) fn editable(&self, file: usize) -> bool {
        self.body(file).is_some()
    }
}
