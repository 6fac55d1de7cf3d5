//! Where a value sits in a request: a parameter, and for list parameters a row and a part of that row.
//!
//! One type for every place a position is named: errors, the form's touched fields, element ids, the error
//! summary and the field a server's error code names. Its text form is the wire form (`tag[3].key`,
//! `gpuSpec[0]`, `resourceSpec.cu`), which is also what a server puts after `InvalidParameter.`.

use std::{fmt, str::FromStr};

use crate::key::FieldKey;

/// A position in a request. `row` and `part` are only set for list parameters: `tag[3].key` is row 3, part 0 of
/// `tag`; `gpuSpec[2]` is row 2, part 0 of `gpuSpec` (its one part has no name); `tag` alone is the whole list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath {
    pub key: FieldKey,
    pub row: Option<usize>,
    pub part: Option<usize>,
}

impl FieldPath {
    /// A whole parameter (a scalar, or a list as a whole).
    pub const fn field(key: FieldKey) -> FieldPath {
        FieldPath {
            key,
            row: None,
            part: None,
        }
    }

    /// One row of a list, as a whole (`tag[3]`).
    pub const fn row(key: FieldKey, row: usize) -> FieldPath {
        FieldPath {
            key,
            row: Some(row),
            part: None,
        }
    }

    /// One input of a list row (`tag[3].value`, `gpuSpec[3]`).
    pub const fn cell(key: FieldKey, row: usize, part: usize) -> FieldPath {
        FieldPath {
            key,
            row: Some(row),
            part: Some(part),
        }
    }

    /// The name of the part, as the wire spells it (`key`), or `""` for a list of plain strings.
    pub fn part_name(&self) -> Option<&'static str> {
        let part = self.part?;
        self.key.field().list()?.parts.get(part).map(|p| p.name)
    }

    /// An id fragment safe in HTML and CSS: `tag[3].key` → `tag-3-key`, `resourceSpec.cu` → `resourceSpec-cu`.
    pub fn id_fragment(&self) -> String {
        let mut id = self.key.path().replace('.', "-");
        if let Some(row) = self.row {
            id.push('-');
            id.push_str(&row.to_string());
        }
        if let Some(name) = self.part_name().filter(|n| !n.is_empty()) {
            id.push('-');
            id.push_str(name);
        }
        id
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key.path())?;
        if let Some(row) = self.row {
            write!(f, "[{row}]")?;
        }
        match self.part_name() {
            Some(name) if !name.is_empty() => write!(f, ".{name}"),
            _ => Ok(()),
        }
    }
}

impl FromStr for FieldPath {
    type Err = ();

    /// Parses the wire form. Anything that does not name a parameter, a row of a list or a part of a row is an
    /// error.
    fn from_str(s: &str) -> Result<FieldPath, ()> {
        let (head, rest) = match s.find('[') {
            Some(i) => (&s[..i], &s[i..]),
            None => (s, ""),
        };
        let key = FieldKey::from_wire_path(head).ok_or(())?;
        if rest.is_empty() {
            return Ok(FieldPath::field(key));
        }
        let list = key.field().list().ok_or(())?;
        let (index, tail) = rest[1..].split_once(']').ok_or(())?;
        if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let row = index.parse().map_err(|_| ())?;
        if tail.is_empty() {
            // A list of plain strings has one unnamed part: its rows are its cells.
            return Ok(match list.parts {
                [only] if only.name.is_empty() => FieldPath::cell(key, row, 0),
                _ => FieldPath::row(key, row),
            });
        }
        let name = tail.strip_prefix('.').ok_or(())?;
        let part = list
            .parts
            .iter()
            .position(|p| !p.name.is_empty() && p.name == name)
            .ok_or(())?;
        Ok(FieldPath::cell(key, row, part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms_round_trip() {
        for (text, path) in [
            ("resourceSpec.cu", FieldPath::field(FieldKey::Cu)),
            ("regionId", FieldPath::field(FieldKey::RegionId)),
            ("tag", FieldPath::field(FieldKey::Tag)),
            ("tag[3].key", FieldPath::cell(FieldKey::Tag, 3, 0)),
            ("tag[0].value", FieldPath::cell(FieldKey::Tag, 0, 1)),
            ("tag[12]", FieldPath::row(FieldKey::Tag, 12)),
            ("gpuSpec[2]", FieldPath::cell(FieldKey::GpuSpec, 2, 0)),
            ("gpuSpec", FieldPath::field(FieldKey::GpuSpec)),
        ] {
            assert_eq!(text.parse::<FieldPath>(), Ok(path), "{text}");
            assert_eq!(path.to_string(), text);
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "nope",
            "resourceSpec",
            "resourceSpec.cu[0]",
            "tag[",
            "tag[]",
            "tag[x]",
            "tag[-1]",
            "tag[1].nope",
            "tag[1]key",
            "tag[1].",
            "gpuSpec[1].key",
            "tag[99999999999999999999999]",
        ] {
            assert_eq!(text.parse::<FieldPath>(), Err(()), "{text}");
        }
    }

    #[test]
    fn id_fragments_are_html_safe() {
        assert_eq!(
            FieldPath::cell(FieldKey::Tag, 3, 0).id_fragment(),
            "tag-3-key"
        );
        assert_eq!(
            FieldPath::cell(FieldKey::GpuSpec, 1, 0).id_fragment(),
            "gpuSpec-1"
        );
        assert_eq!(
            FieldPath::field(FieldKey::Cu).id_fragment(),
            "resourceSpec-cu"
        );
    }
}
