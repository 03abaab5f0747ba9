//! Block and file storage: EBS volumes, the block devices of instances, launch templates and
//! launch configurations (one store per device), and EFS file systems.
//!
//! EBS volumes are unencrypted unless `encrypted = true` — or the account/region has EBS
//! encryption by default, in which case every new volume is encrypted with the default EBS
//! key (`alias/aws/ebs`, or the key set by `aws_ebs_default_kms_key`) whatever the volume
//! says (<https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html>).
//! `aws_ebs_encryption_by_default.enabled` defaults to true in the provider.
//! EFS file systems are unencrypted unless `encrypted = true`; without `kms_key_id` they use
//! `alias/aws/elasticfilesystem` (<https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html>).

use std::collections::HashMap;

use super::read::{attr, describe, flag, live, Protection, Reading};
use crate::engine::model::{Model, Resource};

const EBS_MANAGED: &str = "alias/aws/ebs";

/// Per provider: the resource turning EBS encryption by default on, and the default key.
pub(crate) struct EbsDefaults<'a> {
    pub enabled: HashMap<&'a str, &'a Resource>,
    /// Providers where an `aws_ebs_encryption_by_default` sets `enabled = false`.
    pub disabled: HashMap<&'a str, &'a Resource>,
    pub kms_key: HashMap<&'a str, &'a Resource>,
}

impl<'a> EbsDefaults<'a> {
    pub(crate) fn new(model: &'a Model) -> EbsDefaults<'a> {
        let mut enabled = HashMap::new();
        // An unknown `enabled` is read favourably: unknown values are never failures. Two
        // resources of one provider fight over one per-region switch, and whichever is
        // applied last wins: an explicit `enabled = false` among them means volumes may
        // well not be encrypted, so nothing is credited.
        let switches: Vec<&Resource> = live(model, "aws_ebs_encryption_by_default").collect();
        for r in &switches {
            let off = |p: &str| {
                switches
                    .iter()
                    .any(|o| o.provider == p && flag(o, "enabled", true) == Some(false))
            };
            if flag(r, "enabled", true) != Some(false) && !off(&r.provider) {
                enabled.entry(r.provider.as_str()).or_insert(*r);
            }
        }
        let disabled = switches
            .iter()
            .filter(|r| flag(r, "enabled", true) == Some(false))
            .map(|r| (r.provider.as_str(), *r))
            .collect();
        let mut kms_key = HashMap::new();
        for r in live(model, "aws_ebs_default_kms_key") {
            kms_key.entry(r.provider.as_str()).or_insert(r);
        }
        EbsDefaults {
            enabled,
            disabled,
            kms_key,
        }
    }

    /// The key EBS uses when a volume names none.
    fn default_key(&self, provider: &str) -> Protection<'a> {
        match self.kms_key.get(provider) {
            Some(r) => Protection::Key {
                holder: r,
                path: "key_arn".into(),
                fallback: EBS_MANAGED,
            },
            None => Protection::AwsManaged(EBS_MANAGED),
        }
    }
}

pub(crate) fn read<'a>(model: &'a Model, defaults: &EbsDefaults<'a>, out: &mut Vec<Reading<'a>>) {
    for v in live(model, "aws_ebs_volume") {
        out.push(device(v, None, "encrypted", "kms_key_id", defaults));
    }
    for rtype in [
        "aws_instance",
        "aws_launch_configuration",
        "aws_spot_instance_request",
    ] {
        for i in live(model, rtype) {
            let roots: Vec<String> = i.blocks("root_block_device").map(|(p, _)| p).collect();
            if roots.is_empty() {
                // No root_block_device block: the root volume follows the AMI's snapshot
                // (usually unencrypted) unless EBS encryption by default is on. The same holds
                // for the instances a launch configuration starts (checkov CKV_AWS_8 reads
                // both types this way).
                out.push(device(
                    i,
                    Some("root_block_device".into()),
                    "root_block_device.0.encrypted",
                    "root_block_device.0.kms_key_id",
                    defaults,
                ));
            }
            for p in roots
                .into_iter()
                .chain(i.blocks("ebs_block_device").map(|(p, _)| p))
            {
                out.push(device(
                    i,
                    Some(p.clone()),
                    &format!("{p}.encrypted"),
                    &format!("{p}.kms_key_id"),
                    defaults,
                ));
            }
        }
    }
    // A WorkSpace has two volumes, each with its own switch and the one key argument
    // (<https://docs.aws.amazon.com/workspaces/latest/adminguide/encrypt-workspaces.html>):
    // without the key, the AWS-managed key aws/workspaces.
    for w in live(model, "aws_workspaces_workspace") {
        for (part, switch) in [
            ("root_volume", "root_volume_encryption_enabled"),
            ("user_volume", "user_volume_encryption_enabled"),
        ] {
            out.push(
                flagged(
                    w,
                    "workspaces",
                    switch,
                    "volume_encryption_key",
                    "alias/aws/workspaces",
                )
                .part(part),
            );
        }
    }
    for t in live(model, "aws_launch_template") {
        for (p, m) in t.blocks("block_device_mappings") {
            if m.child("ebs")
                .and_then(|e| e.as_list())
                .is_none_or(|l| l.is_empty())
            {
                continue;
            }
            out.push(device(
                t,
                Some(p.clone()),
                &format!("{p}.ebs.0.encrypted"),
                &format!("{p}.ebs.0.kms_key_id"),
                defaults,
            ));
        }
    }
}

fn device<'a>(
    res: &'a Resource,
    part: Option<String>,
    enc_path: &str,
    key_path: &str,
    defaults: &EbsDefaults<'a>,
) -> Reading<'a> {
    let mut encrypted = flag(res, enc_path, false);
    let key = attr(res, key_path);
    // A volume restored from a snapshot is encrypted exactly when the snapshot is (EBS
    // keeps the snapshot's encryption and key), and the snapshot is not in the input: as
    // unknown as a value known only after apply, and read the same favourable way.
    let snapshot = enc_path
        .strip_suffix("encrypted")
        .map(|block| format!("{block}snapshot_id"))
        .filter(|p| attr(res, p).is_set());
    if encrypted == Some(false) && !attr(res, enc_path).is_set() && snapshot.is_some() {
        encrypted = None;
    }
    let account_default = defaults.enabled.get(res.provider.as_str()).copied();
    let mut reading = if encrypted != Some(false) && key.is_set() {
        Reading::new(
            res,
            "ebs",
            Protection::Key {
                holder: res,
                path: key_path.to_string(),
                fallback: EBS_MANAGED,
            },
            (res, key_path),
            describe(key_path, key),
        )
    } else if encrypted == Some(true) {
        Reading::new(
            res,
            "ebs",
            defaults.default_key(&res.provider),
            (res, enc_path),
            "encrypted = true without kms_key_id: the account's default EBS key",
        )
    } else if let Some(d) = account_default {
        Reading::new(
            res,
            "ebs",
            defaults.default_key(&res.provider),
            (d, "enabled"),
            format!(
                "{} encrypts every new volume in this account/region with the default EBS key",
                d.address
            ),
        )
    } else if let (None, Some(snapshot)) = (encrypted, &snapshot) {
        Reading::new(
            res,
            "ebs",
            Protection::Inherited,
            (res, snapshot.as_str()),
            format!(
                "encrypted is not set: {} decides",
                describe(snapshot, attr(res, snapshot))
            ),
        )
        .assumed("the volume takes its encryption from a snapshot that is not in the input")
    } else if encrypted.is_none() {
        Reading::new(
            res,
            "ebs",
            defaults.default_key(&res.provider),
            (res, enc_path),
            "encrypted = (known after apply)",
        )
        .assumed("encrypted is not known before apply")
    } else {
        Reading::new(
            res,
            "ebs",
            Protection::None,
            (res, enc_path),
            match defaults.disabled.get(res.provider.as_str()) {
                Some(off) => format!(
                    "{}, and {} turns EBS encryption by default off in this account/region",
                    describe(enc_path, attr(res, enc_path)),
                    off.address
                ),
                None => format!(
                    "{}, and no aws_ebs_encryption_by_default in this account/region",
                    describe(enc_path, attr(res, enc_path))
                ),
            },
        )
    };
    if encrypted.is_none() && key.is_set() {
        reading = reading.assumed("encrypted is not known before apply");
    }
    match part {
        Some(p) => reading.part(p),
        None => reading,
    }
}

/// A store with an `encrypted`-style flag (default false) and a key attribute whose absence
/// means the service's AWS-managed key.
pub(crate) fn flagged<'a>(
    res: &'a Resource,
    service: &'static str,
    enc_path: &str,
    key_path: &str,
    managed: &'static str,
) -> Reading<'a> {
    flagged_with_default(res, service, enc_path, false, key_path, managed)
}

pub(crate) fn flagged_with_default<'a>(
    res: &'a Resource,
    service: &'static str,
    enc_path: &str,
    default: bool,
    key_path: &str,
    managed: &'static str,
) -> Reading<'a> {
    let encrypted = flag(res, enc_path, default);
    let key = attr(res, key_path);
    let reading = match encrypted {
        Some(false) => {
            let evidence = match attr(res, enc_path) {
                a if a.is_set() => describe(enc_path, a),
                _ => format!(
                    "{} (defaults to false)",
                    describe(enc_path, attr(res, enc_path))
                ),
            };
            return Reading::new(res, service, Protection::None, (res, enc_path), evidence);
        }
        _ if key.is_set() => Reading::new(
            res,
            service,
            Protection::Key {
                holder: res,
                path: key_path.to_string(),
                fallback: managed,
            },
            (res, key_path),
            describe(key_path, key),
        ),
        _ => Reading::new(
            res,
            service,
            Protection::AwsManaged(managed),
            (res, key_path),
            format!(
                "{} without {}: the AWS-managed key {}",
                describe(enc_path, attr(res, enc_path)),
                key_path.rsplit('.').next().unwrap_or(key_path),
                managed.trim_start_matches("alias/")
            ),
        ),
    };
    if encrypted.is_none() {
        reading.assumed(format!("{enc_path} is not known before apply"))
    } else {
        reading
    }
}
