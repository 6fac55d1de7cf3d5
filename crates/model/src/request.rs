//! Where a CreateWorkspace request goes. Its body is built by [`crate::validate::body`].

/// The path of the operation; `regionId` is added as a query parameter.
pub const CREATE_WORKSPACE_PATH: &str = "/api/v1/workspaces";

/// The path and query of a CreateWorkspace call for a region. Region ids are plain ASCII, but encode anyway so no
/// value can add a second parameter.
pub fn create_workspace_url(region_id: &str) -> String {
    format!(
        "{CREATE_WORKSPACE_PATH}?regionId={}",
        percent_encode(region_id)
    )
}

/// RFC 3986 percent-encoding of everything but the unreserved characters (`A-Z a-z 0-9 - _ . ~`).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encodes_the_region() {
        assert_eq!(
            create_workspace_url("cn-hangzhou"),
            "/api/v1/workspaces?regionId=cn-hangzhou"
        );
        assert_eq!(
            create_workspace_url("a&b=c d"),
            "/api/v1/workspaces?regionId=a%26b%3Dc%20d"
        );
        assert_eq!(percent_encode("~*é"), "~%2A%C3%A9");
    }
}
