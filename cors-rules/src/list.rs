//! Comma-separated lists as HTTP splits them.

/// Splits a comma-separated list the way HTTP lists are split (`Access-Control-Request-Headers`,
/// `Vary`, an `origin_env` value): on `,`, each item trimmed of spaces and tabs, empty items skipped.
pub fn list_items(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(|item| item.trim_matches([' ', '\t']))
        .filter(|item| !item.is_empty())
}

/// [`list_items`] on the bytes of a header value, which need not be UTF-8.
pub fn list_items_bytes(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(trim_spaces_and_tabs)
        .filter(|item| !item.is_empty())
}

/// `item` without leading and trailing spaces and tabs (HTTP's optional whitespace).
#[inline]
fn trim_spaces_and_tabs(mut item: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = item {
        item = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = item {
        item = rest;
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_trimmed_and_empties_skipped() {
        let items: Vec<_> = list_items(" Content-Type ,x-api-key,,\tX-Id\t, ").collect();
        assert_eq!(items, ["Content-Type", "x-api-key", "X-Id"]);
        let bytes: Vec<_> = list_items_bytes(b" a ,\t,b\xff").collect();
        assert_eq!(bytes, [&b"a"[..], &b"b\xff"[..]]);
    }
}
