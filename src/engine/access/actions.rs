//! KMS actions: the full list, what each lets a principal do with a key, and how a
//! statement's `Action`/`NotAction` patterns expand over it.
//!
//! The list is the "Actions defined by AWS Key Management Service" table of the Service
//! Authorization Reference
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html>).
//! IAM matches action names case-insensitively, with `*` and `?` wildcards
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// What an action lets a principal do with a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Capability {
    /// Cryptographic operations: Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, Sign, …
    Use,
    /// Key management: policy, deletion, enabling, rotation, aliases, tags, revoking grants.
    Administer,
    /// `kms:CreateGrant`: handing the key's use on to another principal.
    Grant,
}

impl Capability {
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Use => "use",
            Capability::Administer => "administer",
            Capability::Grant => "grant",
        }
    }
}

/// Every KMS action that applies to a key, with what it gives. Actions that apply to no key
/// (`kms:CreateKey`, `kms:ListKeys`, `kms:GenerateRandom`, custom key stores) and read-only
/// ones (`Describe*`, `Get*`, `List*`) give nothing here.
pub const KEY_ACTIONS: [(&str, Option<Capability>); 46] = {
    use Capability::*;
    [
        ("CancelKeyDeletion", Some(Administer)),
        ("CreateAlias", Some(Administer)),
        ("CreateGrant", Some(Grant)),
        ("Decrypt", Some(Use)),
        ("DeleteAlias", Some(Administer)),
        ("DeleteImportedKeyMaterial", Some(Administer)),
        ("DeriveSharedSecret", Some(Use)),
        ("DescribeKey", None),
        ("DisableKey", Some(Administer)),
        ("DisableKeyRotation", Some(Administer)),
        ("EnableKey", Some(Administer)),
        ("EnableKeyRotation", Some(Administer)),
        ("Encrypt", Some(Use)),
        ("GenerateDataKey", Some(Use)),
        ("GenerateDataKeyPair", Some(Use)),
        ("GenerateDataKeyPairWithoutPlaintext", Some(Use)),
        ("GenerateDataKeyWithoutPlaintext", Some(Use)),
        ("GenerateMac", Some(Use)),
        ("GetKeyPolicy", None),
        ("GetKeyRotationStatus", None),
        ("GetParametersForImport", None),
        ("GetPublicKey", None),
        ("ImportKeyMaterial", Some(Administer)),
        ("ListAliases", None),
        ("ListGrants", None),
        ("ListKeyPolicies", None),
        ("ListKeyRotations", None),
        ("ListResourceTags", None),
        ("ListRetirableGrants", None),
        ("PutKeyPolicy", Some(Administer)),
        ("ReEncryptFrom", Some(Use)),
        ("ReEncryptTo", Some(Use)),
        ("ReplicateKey", Some(Administer)),
        ("RetireGrant", Some(Administer)),
        ("RevokeGrant", Some(Administer)),
        ("RotateKeyOnDemand", Some(Administer)),
        ("ScheduleKeyDeletion", Some(Administer)),
        ("Sign", Some(Use)),
        ("SynchronizeMultiRegionKey", Some(Administer)),
        ("TagResource", Some(Administer)),
        ("UntagResource", Some(Administer)),
        ("UpdateAlias", Some(Administer)),
        ("UpdateKeyDescription", Some(Administer)),
        ("UpdatePrimaryRegion", Some(Administer)),
        ("Verify", Some(Use)),
        ("VerifyMac", Some(Use)),
    ]
};

/// A set of key actions, as a bit per entry of [`KEY_ACTIONS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Actions(pub u64);

impl Actions {
    pub const NONE: Actions = Actions(0);

    pub fn all() -> Actions {
        Actions((1u64 << KEY_ACTIONS.len()) - 1)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, o: Actions) -> Actions {
        Actions(self.0 | o.0)
    }

    pub fn minus(self, o: Actions) -> Actions {
        Actions(self.0 & !o.0)
    }

    pub fn intersect(self, o: Actions) -> Actions {
        Actions(self.0 & o.0)
    }

    /// The actions whose names match an IAM action pattern (`kms:Decrypt`, `kms:Re*`, `*`).
    pub fn matching(pattern: &str) -> Actions {
        // Every key's policy and every identity policy is expanded for each key: the
        // lowercased names are made once, not per pattern.
        static NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
            KEY_ACTIONS
                .iter()
                .map(|(name, _)| format!("kms:{}", name.to_ascii_lowercase()))
                .collect()
        });
        let p = pattern.trim().to_ascii_lowercase();
        let mut bits = 0u64;
        for (i, name) in NAMES.iter().enumerate() {
            if glob(&p, name) {
                bits |= 1 << i;
            }
        }
        Actions(bits)
    }

    /// The actions a statement's `Action` (or, with `not`, `NotAction`) list covers.
    pub fn of(patterns: &[String], not: bool) -> Actions {
        let listed = patterns
            .iter()
            .fold(Actions::NONE, |a, p| a.union(Actions::matching(p)));
        if not {
            Actions::all().minus(listed)
        } else {
            listed
        }
    }

    pub fn names(self) -> Vec<String> {
        let mut out: Vec<String> = KEY_ACTIONS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, (n, _))| format!("kms:{n}"))
            .collect();
        crate::engine::sort::ord(&mut out);
        out.dedup();
        out
    }

    pub fn capabilities(self) -> Vec<Capability> {
        let mut out: Vec<Capability> = KEY_ACTIONS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .filter_map(|(_, (_, c))| *c)
            .collect();
        crate::engine::sort::ord(&mut out);
        out.dedup();
        out
    }

    pub fn has(self, action: &str) -> bool {
        !self.intersect(Actions::matching(action)).is_empty()
    }

    /// `kms:Decrypt`: reading what the key protects.
    pub fn decrypts(self) -> bool {
        self.has("kms:Decrypt")
    }
}

/// IAM's wildcard match (`*` any run, `?` one character), both sides lowercased already.
/// Iterative with backtracking to the last `*`: linear in practice, never recursive.
pub fn glob(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        // Bytes are characters here: no copy of either string.
        return glob_in(pattern.as_bytes(), text.as_bytes(), b'?', b'*');
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    glob_in(&p, &t, '?', '*')
}

/// `*` matches any run, `?` any one item; backtracks to the last `*` on a mismatch.
fn glob_in<T: PartialEq + Copy>(p: &[T], t: &[T], one: T, any: T) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == any {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == any {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_expand() {
        assert_eq!(Actions::matching("*"), Actions::all());
        assert_eq!(Actions::matching("kms:*"), Actions::all());
        assert_eq!(
            Actions::matching("KMS:decrypt").names(),
            vec!["kms:Decrypt"]
        );
        assert_eq!(
            Actions::matching("kms:GenerateDataKey*").names(),
            vec![
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyPair",
                "kms:GenerateDataKeyPairWithoutPlaintext",
                "kms:GenerateDataKeyWithoutPlaintext"
            ]
        );
        assert_eq!(
            Actions::matching("kms:ReEncrypt*").names(),
            vec!["kms:ReEncryptFrom", "kms:ReEncryptTo"]
        );
        assert!(Actions::matching("s3:*").is_empty());
        assert!(Actions::matching("kms:Describe*").capabilities().is_empty());
        assert_eq!(
            Actions::matching("kms:Create*").capabilities(),
            vec![Capability::Administer, Capability::Grant]
        );
        assert_eq!(
            Actions::matching("kms:?ecrypt").names(),
            vec!["kms:Decrypt"]
        );
    }

    #[test]
    fn not_action_is_everything_else() {
        let a = Actions::of(&["kms:Decrypt".into()], true);
        assert!(!a.decrypts());
        assert!(a.has("kms:Encrypt"));
        assert!(a.has("kms:PutKeyPolicy"));
        // NotAction over another service leaves every KMS action.
        assert_eq!(Actions::of(&["iam:*".into()], true), Actions::all());
    }

    #[test]
    fn glob_backtracks() {
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxbyy"));
        assert!(glob("*", ""));
        // non-ASCII: matched by character, not byte
        assert!(glob("k?y", "kéy"));
        assert!(!glob("k??y", "kéy"));
        assert!(glob(
            "arn:aws:kms:*:*:key/*",
            "arn:aws:kms:eu-west-1:1:key/abc"
        ));
    }
}
