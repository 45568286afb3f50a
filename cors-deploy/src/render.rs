//! The text formats the renderers write: HCL as `terraform fmt` formats it, YAML scalars that
//! read back as written, and JSON as `JSON.stringify(value, null, 2)` writes it.

use std::fmt::Write as _;

/// `name = { "key" = value ... }` at two spaces, preceded by a blank line, the `=` aligned as
/// `terraform fmt` aligns them. Keys and values are HCL expressions, written as given.
pub(crate) fn write_hcl_map(out: &mut String, name: &str, entries: &[(String, String)]) {
    let width = entries.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let _ = writeln!(out, "\n  {name} = {{");
    for (key, value) in entries {
        let _ = writeln!(out, "    {key:<width$} = {value}");
    }
    out.push_str("  }\n");
}

/// `key = value` lines at `indent` spaces, the `=` aligned as `terraform fmt` aligns consecutive
/// attributes.
pub(crate) fn write_hcl_attributes(out: &mut String, indent: usize, attributes: &[(&str, String)]) {
    let width = attributes.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let pad = " ".repeat(indent);
    for (key, value) in attributes {
        let _ = writeln!(out, "{pad}{key:<width$} = {value}");
    }
}

/// An HCL list of strings on one line: `["a", "b"]`, or `[]`.
pub(crate) fn hcl_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| hcl_string(item)).collect();
    format!("[{}]", items.join(", "))
}

/// A quoted HCL string: `"`, `\` and control characters escaped, and the template sequences
/// `${` and `%{` doubled so that they stay literal.
pub(crate) fn hcl_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML scalar that reads back as `value`: single-quoted when it has no `'`, otherwise
/// double-quoted with `"` and `\` escaped.
pub(crate) fn yaml_string(value: &str) -> String {
    if !value.contains('\'') && !value.chars().any(char::is_control) {
        return format!("'{value}'");
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML scalar for a list item or a value: plain when it is unambiguously a string (starts
/// with a letter; letters, digits and `-_.:/+` only; not one of YAML 1.1's booleans or nulls),
/// quoted by [`yaml_string`] otherwise (`*`, an IPv6 origin, a number).
pub(crate) fn yaml_scalar(value: &str) -> String {
    const RESERVED: [&str; 11] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan",
    ];
    let plain = value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/+".contains(c))
        && !value.ends_with(':')
        && !RESERVED.contains(&value.to_ascii_lowercase().as_str());
    if plain {
        value.to_owned()
    } else {
        yaml_string(value)
    }
}

/// A JSON value, for the files a CDK app reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Json {
    Str(String),
    Num(u32),
    Bool(bool),
    Arr(Vec<Json>),
    /// Keys in the order written.
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// A list of strings.
    pub(crate) fn strings<S: AsRef<str>>(items: &[S]) -> Json {
        Json::Arr(
            items
                .iter()
                .map(|item| Json::Str(item.as_ref().to_owned()))
                .collect(),
        )
    }

    /// An object of strings.
    pub(crate) fn string_map<K: AsRef<str>, V: AsRef<str>>(entries: &[(K, V)]) -> Json {
        Json::Obj(
            entries
                .iter()
                .map(|(k, v)| (k.as_ref().to_owned(), Json::Str(v.as_ref().to_owned())))
                .collect(),
        )
    }

    /// The value as `JSON.stringify(value, null, 2)` writes it (no final newline): two spaces a
    /// level, an empty list or object as `[]` or `{}`.
    pub(crate) fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, level: usize) {
        let pad = |out: &mut String, level: usize| out.push_str(&"  ".repeat(level));
        match self {
            Json::Str(value) => out.push_str(&json_string(value)),
            Json::Num(value) => {
                let _ = write!(out, "{value}");
            }
            Json::Bool(value) => {
                let _ = write!(out, "{value}");
            }
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(entries) if entries.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    pad(out, level + 1);
                    item.write(out, level + 1);
                }
                out.push('\n');
                pad(out, level);
                out.push(']');
            }
            Json::Obj(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    pad(out, level + 1);
                    out.push_str(&json_string(key));
                    out.push_str(": ");
                    value.write(out, level + 1);
                }
                out.push('\n');
                pad(out, level);
                out.push('}');
            }
        }
    }
}

/// A JSON string: `"`, `\` and control characters escaped, as `JSON.stringify` escapes them.
pub(crate) fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcl_strings_are_escaped() {
        assert_eq!(hcl_string("${x} %{y} $z"), r#""$${x} %%{y} $z""#);
        assert_eq!(hcl_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(hcl_list(&[]), "[]");
        assert_eq!(
            hcl_list(&["GET".to_owned(), "PUT".to_owned()]),
            r#"["GET", "PUT"]"#
        );
    }

    #[test]
    fn yaml_scalars_read_back() {
        assert_eq!(yaml_string(r#"a"b\c'"#), r#""a\"b\\c'""#);
        for plain in [
            "https://myapp.com",
            "http://localhost:5173",
            "Content-Type",
            "GET",
        ] {
            assert_eq!(yaml_scalar(plain), plain);
        }
        assert_eq!(yaml_scalar("*"), "'*'");
        assert_eq!(yaml_scalar("http://[::1]:8080"), "'http://[::1]:8080'");
        assert_eq!(yaml_scalar("No"), "'No'");
        assert_eq!(yaml_scalar("42"), "'42'");
        assert_eq!(yaml_scalar("x-it's"), r#""x-it's""#);
    }

    #[test]
    fn json_is_written_as_json_stringify_writes_it() {
        assert_eq!(json_string("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\u0001""#);
        let value = Json::Obj(vec![
            ("list".to_owned(), Json::strings(&["GET", "PUT"])),
            ("none".to_owned(), Json::Arr(Vec::new())),
            ("map".to_owned(), Json::string_map(&[("k", "'v'")])),
            ("flag".to_owned(), Json::Bool(true)),
            ("seconds".to_owned(), Json::Num(600)),
            ("empty".to_owned(), Json::Obj(Vec::new())),
        ]);
        assert_eq!(
            value.pretty(),
            r#"{
  "list": [
    "GET",
    "PUT"
  ],
  "none": [],
  "map": {
    "k": "'v'"
  },
  "flag": true,
  "seconds": 600,
  "empty": {}
}"#
        );
    }
}
