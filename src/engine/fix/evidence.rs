//! What real Terraform planned for each fix: `tests/fixtures/fixes/evidence/results.tsv`,
//! made by that folder's `regenerate.sh` (a before/after pair per fix, the after planned
//! against a state holding the before; AWS provider 5.100). A fix whose change the provider
//! plans as `delete`+`create` replaces the resource, and is unsafe whatever else it does.

/// One planned pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Planned {
    pub fix: &'static str,
    pub rtype: &'static str,
    /// `update`, `delete,create`, `create`, `no-op`, or `error: …`.
    pub actions: &'static str,
    /// The attributes the provider says force the replacement, `;`-separated.
    pub replace_paths: &'static str,
    /// The pair's folder under the evidence folder.
    pub pair: &'static str,
}

impl Planned {
    pub fn replaces(&self) -> bool {
        self.actions.contains("delete") && self.actions.contains("create")
    }

    fn planned(&self) -> bool {
        !self.actions.starts_with("error")
    }
}

const RESULTS: &str = include_str!("../../../tests/fixtures/fixes/evidence/results.tsv");

/// Every row of the evidence (the header skipped).
pub fn all() -> impl Iterator<Item = Planned> {
    RESULTS.lines().skip(1).filter_map(|line| {
        let mut cols = line.split('\t');
        Some(Planned {
            fix: cols.next()?,
            rtype: cols.next()?,
            actions: cols.next()?,
            replace_paths: cols.next().unwrap_or(""),
            pair: cols.next().unwrap_or(""),
        })
    })
}

/// What was planned for `fix` on `rtype`, when it was planned successfully.
pub fn lookup(fix: &str, rtype: &str) -> Option<Planned> {
    all().find(|p| p.fix == fix && p.rtype == rtype && p.planned())
}
