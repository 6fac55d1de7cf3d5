//! Identifiers in the shapes Alibaba uses: `w-<16 hex>`, `op-<16 hex>`, upper-case UUIDs.

use uuid::Uuid;

/// 16 lower-case hex digits. These ids only need to be unique, not secret, so they come from a v4 UUID's random
/// bits rather than a second source of randomness.
fn random_hex16() -> String {
    let uuid = Uuid::new_v4();
    // Bytes 6 and 8 carry the version and variant; the first six and the last two bytes are all random.
    let b = uuid.as_bytes();
    hex::encode([b[0], b[1], b[2], b[3], b[4], b[5], b[14], b[15]])
}

/// `w-` and 16 lower-case hex digits.
pub fn workspace_id() -> String {
    format!("w-{}", random_hex16())
}

/// `op-` and 16 lower-case hex digits.
pub fn operation_id() -> String {
    format!("op-{}", random_hex16())
}

/// A version-4 UUID in upper case, like Alibaba's request ids.
pub fn request_id() -> String {
    let mut buf = Uuid::encode_buffer();
    Uuid::new_v4()
        .hyphenated()
        .encode_upper(&mut buf)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_hex(s: &str, upper: bool) -> bool {
        s.bytes().all(|b| {
            b.is_ascii_digit()
                || if upper {
                    (b'A'..=b'F').contains(&b)
                } else {
                    (b'a'..=b'f').contains(&b)
                }
        })
    }

    #[test]
    fn ids_have_their_shapes_and_differ() {
        let w = workspace_id();
        assert!(
            w.len() == 18 && w.starts_with("w-") && is_hex(&w[2..], false),
            "{w}"
        );
        let op = operation_id();
        assert!(op.starts_with("op-") && is_hex(&op[3..], false), "{op}");
        let r = request_id();
        let groups: Vec<_> = r.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{r}");
        assert!(is_hex(&r.replace('-', ""), true), "{r}");
        assert_eq!(&r[14..15], "4");
        assert_ne!(workspace_id(), w);
        assert_ne!(request_id(), r);
    }
}
