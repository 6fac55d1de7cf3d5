//! Identifiers in the shapes Alibaba uses: `w-<16 hex>`, `op-<16 hex>`, upper-case UUIDs.

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS random source failing is not something a request can recover from; fall back to time-based bytes
    // rather than answering 500, since these ids only need to be unique, not secret.
    if getrandom::fill(&mut buf).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (nanos >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(151);
        }
    }
    buf
}

fn hex(bytes: &[u8], upper: bool) -> String {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 15)]));
    }
    out
}

/// `w-` and 16 lower-case hex digits.
pub fn workspace_id() -> String {
    format!("w-{}", hex(&random_bytes::<8>(), false))
}

/// `op-` and 16 lower-case hex digits.
pub fn operation_id() -> String {
    format!("op-{}", hex(&random_bytes::<8>(), false))
}

/// A version-4 UUID in upper case, like Alibaba's request ids.
pub fn request_id() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b, true);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
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
