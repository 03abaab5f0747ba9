//! The key hierarchy as a standalone SVG document (the "Download SVG" button): every style
//! inline, so it renders the same in any viewer, with a legend. Text is escaped here; the
//! page itself renders the layout through Leptos, which escapes on its own.

use std::fmt::Write;

use super::hierarchy::{Layout, NodeKind};

/// Fill, stroke, text colour and dash pattern of a node kind.
pub struct NodeStyle {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub text: &'static str,
    pub dash: Option<&'static str>,
}

pub fn style(kind: NodeKind) -> NodeStyle {
    let s = |fill, stroke, text, dash| NodeStyle {
        fill,
        stroke,
        text,
        dash,
    };
    match kind {
        NodeKind::Provider => s("#eef2fb", "#2f5fd0", "#1b1f24", None),
        NodeKind::Cmk | NodeKind::External => s("#e8f5ec", "#1f7a43", "#1b1f24", None),
        NodeKind::Unverified => s("#f3f6f4", "#1f7a43", "#1b1f24", Some("6 3")),
        NodeKind::AwsManaged => s("#fff4d6", "#a16207", "#1b1f24", None),
        NodeKind::ProviderOwned => s("#f1f2f4", "#5b6470", "#1b1f24", None),
        NodeKind::Unencrypted => s("#fde8e7", "#b42318", "#1b1f24", None),
        NodeKind::Missing => s("#ffffff", "#b42318", "#b42318", Some("7 4")),
        NodeKind::Group => s("#f7f8fa", "#9aa4b1", "#1b1f24", None),
        NodeKind::Store => s("#ffffff", "#c3cad3", "#1b1f24", None),
        NodeKind::Principal => s("#f5f0fb", "#6d3fc0", "#1b1f24", None),
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

const LEGEND: [(NodeKind, &str); 7] = [
    (NodeKind::Cmk, "customer-managed key (CMK)"),
    (NodeKind::Unverified, "CMK defined outside this input"),
    (NodeKind::AwsManaged, "AWS-managed key (alias/aws/*)"),
    (
        NodeKind::ProviderOwned,
        "provider-owned key (SSE-S3, AWS-owned)",
    ),
    (NodeKind::Unencrypted, "not encrypted"),
    (
        NodeKind::Missing,
        "category key the seed calls for, missing",
    ),
    (NodeKind::Store, "data store"),
];

/// Envelope encryption as the seed explains it, with the fact it gets wrong corrected.
pub const ENVELOPE: [&str; 4] = [
    "The CMK never leaves KMS: applications get data keys (DEKs) from KMS.",
    "Data keys encrypt the data; each is stored encrypted under the CMK beside the data.",
    "Rotating the CMK changes the key material for new data keys only; KMS keeps the old material, so nothing is re-encrypted.",
    "Deleting the CMK makes every data key beneath it, and so all data it protects, undecryptable (cryptographic erasure).",
];

/// The drawing with its legend. `selected` draws a key's blast radius highlighted.
pub fn document(layout: &Layout, title: &str, selected: Option<&str>) -> String {
    let rows = (LEGEND.len() as i32 + 2) / 2;
    let legend_h = 28 + 22 * rows + 30 + 20 * ENVELOPE.len() as i32 + 24;
    let width = layout.width.max(760);
    let height = layout.height + legend_h + 40;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif" font-size="12">"##
    );
    let _ = write!(
        s,
        r##"<title>{}</title><rect width="100%" height="100%" fill="#ffffff"/><text x="16" y="26" font-size="16" font-weight="700" fill="#1b1f24">{}</text>"##,
        escape(title),
        escape(title)
    );
    let _ = write!(s, r##"<g transform="translate(0 36)">"##);
    let hot = |key: &Option<String>| selected.is_some() && key.as_deref() == selected;
    for e in &layout.edges {
        let (stroke, width) = if hot(&e.key) {
            ("#c2410c", 2.5)
        } else {
            ("#9aa4b1", 1.2)
        };
        let dash = if e.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            s,
            r##"<path d="{}" fill="none" stroke="{stroke}" stroke-width="{width}"{dash}/>"##,
            e.path
        );
    }
    for n in &layout.nodes {
        let st = style(n.kind);
        let stroke = if hot(&n.key) { "#c2410c" } else { st.stroke };
        let sw = if hot(&n.key) || n.shared { 2.5 } else { 1.2 };
        let dash = st
            .dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        let _ = write!(
            s,
            r##"<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="7" fill="{}" stroke="{stroke}" stroke-width="{sw}"{dash}/>"##,
            escape(&n.full),
            n.x,
            n.y,
            n.w,
            n.h,
            st.fill
        );
        if n.shared {
            let _ = write!(
                s,
                r##"<rect x="{}" y="{}" width="{}" height="{}" rx="10" fill="none" stroke="#c2410c" stroke-width="1" stroke-dasharray="3 3"/>"##,
                n.x - 4,
                n.y - 4,
                n.w + 8,
                n.h + 8
            );
        }
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-weight="700" fill="{}">{}</text>"##,
            n.x + 10,
            n.y + 18,
            st.text,
            escape(&n.title)
        );
        for (i, line) in n.lines.iter().enumerate() {
            let warn =
                line.contains("OFF") || line.contains("wildcard") || line.contains("over-broad");
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" fill="{}">{}</text>"##,
                n.x + 10,
                n.y + 34 + 16 * i as i32,
                if warn { "#b42318" } else { "#5b6470" },
                escape(line)
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</g>");

    let top = layout.height + 36 + 16;
    let _ = write!(
        s,
        r##"<g transform="translate(16 {top})"><text y="12" font-weight="700" fill="#1b1f24">Legend</text>"##
    );
    for (i, (kind, label)) in LEGEND.iter().enumerate() {
        let st = style(*kind);
        let (x, y) = ((i % 2) as i32 * 360, 24 + (i / 2) as i32 * 22);
        let dash = st
            .dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="26" height="14" rx="3" fill="{}" stroke="{}"{dash}/><text x="{}" y="{}" fill="#1b1f24">{}</text>"##,
            st.fill,
            st.stroke,
            x + 34,
            y + 11,
            escape(label)
        );
    }
    // The last legend cell: the dashed ring around a key shared across categories.
    let (x, y) = (
        (LEGEND.len() % 2) as i32 * 360,
        24 + (LEGEND.len() / 2) as i32 * 22,
    );
    let cmk = style(NodeKind::Cmk);
    let _ = write!(
        s,
        r##"<rect x="{}" y="{}" width="30" height="18" rx="4" fill="none" stroke="#c2410c" stroke-dasharray="3 3"/><rect x="{x}" y="{y}" width="26" height="14" rx="3" fill="{}" stroke="{}"/><text x="{}" y="{}" fill="#1b1f24">key shared across data categories</text>"##,
        x - 2,
        y - 2,
        cmk.fill,
        cmk.stroke,
        x + 34,
        y + 11
    );
    let mut y = 24 + 22 * rows + 14;
    let _ = write!(
        s,
        r##"<text y="{y}" font-weight="700" fill="#1b1f24">Envelope encryption</text>"##
    );
    y += 22;
    for line in ENVELOPE {
        let _ = write!(
            s,
            r##"<text y="{y}" fill="#5b6470">{}</text>"##,
            escape(line)
        );
        y += 20;
    }
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture;
    use crate::view::hierarchy::{layout, Toggled};

    #[test]
    fn escape_handles_markup_and_control_characters() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{1}b"), "a b");
    }

    #[test]
    fn the_document_is_standalone_and_names_every_node() {
        let l = layout(&fixture::report(), &Toggled::new());
        let doc = document(&l, "planlens key hierarchy", Some("aws_kms_key.pii"));
        assert!(doc.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(doc.ends_with("</svg>"));
        assert!(
            !doc.contains("class="),
            "styles are inline, not from a stylesheet"
        );
        for n in &l.nodes {
            assert!(doc.contains(&escape(&n.title)), "{} missing", n.title);
        }
        assert!(doc.contains("#c2410c"), "the selected key is highlighted");
        assert!(doc.contains("cryptographic erasure"));
        assert_eq!(doc.matches("<svg").count(), 1);
    }

    #[test]
    fn hostile_names_are_escaped() {
        let mut r = fixture::report();
        r.stores[0].address = "aws_s3_bucket.x\"><script>alert(1)</script>".into();
        let l = layout(&r, &Toggled::new());
        let doc = document(&l, "t", None);
        assert!(!doc.contains("<script>"));
        assert!(doc.contains("&lt;script&gt;"));
    }
}
