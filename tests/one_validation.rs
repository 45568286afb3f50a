//! One validation, proven on every configuration of the trybuild suite: each `#[cors_handler(...)]`
//! and `cors_config!(...)` of `tests/ui/*.rs` and `tests/ui/pass/*.rs` is read as the macros read
//! it and built again with `CorsConfig::builder()`. The builder must give the same verdict as the
//! compiler did, with the same message text: every problem the builder reports is a compile error
//! of `tests/ui/<case>.stderr` on the same configuration, and nothing else is. Since `trybuild`
//! holds the compiler to those `.stderr` files, the attribute, `cors_config!` and the builder agree
//! on every case, and a rule added to one path alone fails here.
//!
//! Configurations the builder cannot express (a value of the wrong type, an unknown or repeated
//! key, `config = PATH`) are syntax, checked by the macros alone; they are listed in
//! [`SYNTAX_ONLY`] with the reason, so that none is left out by accident.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cors_runtime::{ConfigError, CorsConfig};
use cors_tests::policy_text::{self, Value};
use syn::spanned::Spanned;
use syn::visit::Visit;

/// The cases whose configuration is not expressible through the builder's typed setters.
const SYNTAX_ONLY: &[(&str, &str)] = &[
    (
        "all_errors_at_once",
        "a value of the wrong type (`max_age = \"1\"`) and an unknown key; its rule errors are cases of their own",
    ),
    (
        "duplicate_key",
        "a key written twice: a setter called twice replaces",
    ),
    ("not_key_value", "`origin` without a value"),
    ("unknown_key", "a key the builder has no setter for"),
    ("unknown_key_no_hint", "a key the builder has no setter for"),
    ("wrong_type_credentials", "`credentials` takes a `bool`"),
    ("wrong_type_list_item", "the list's items are `String`s"),
    ("wrong_type_max_age", "`max_age` takes a `u64`"),
    ("max_age_negative", "`max_age` takes a `u64`"),
    ("wrong_type_front_door", "`front_door` takes a `bool`"),
    (
        "csrf_unknown_value",
        "`csrf` takes a `Csrf`: a mode that does not exist cannot be written",
    ),
    ("wrong_type_origin", "`allow_origin` takes a string"),
    ("config_with_other_key", "`config = PATH` names a policy"),
    ("config_not_a_policy", "`config = PATH` names a policy"),
    (
        "config_not_a_path",
        "`config` with a value of the wrong type",
    ),
    ("origin_fn_not_a_path", "`allow_origin_fn` takes a function"),
    (
        "streaming_in_cors_config",
        "`streaming` is a handler's flag, not a policy's",
    ),
    ("config_macro_config_key", "`config` in `cors_config!`"),
];

/// The variable the `origin_env` cases name; the builder reads it, the macros do not.
const ENV_VAR: &str = "ALLOWED_ORIGINS";

/// One configuration as written: the case (file), where it is, and its pairs.
#[derive(Debug)]
struct Invocation {
    case: String,
    /// `cors_config!` (else `#[cors_handler]`), and the `static` it initializes.
    static_name: Option<String>,
    lines: (usize, usize),
    pairs: Vec<(String, Value)>,
    /// The arguments do not parse as `key = value` pairs.
    malformed: bool,
}

/// One compile error of a `.stderr` file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Diagnostic {
    line: usize,
    /// The message with its `help:` lines, as the macro wrote it.
    text: String,
}

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    files.sort();
    files
}

fn case_name(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Every configuration in a case file.
fn invocations(path: &Path) -> Vec<Invocation> {
    struct Finder {
        case: String,
        found: Vec<Invocation>,
        static_name: Option<String>,
    }
    impl<'ast> Visit<'ast> for Finder {
        fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
            self.static_name = Some(item.ident.to_string());
            syn::visit::visit_item_static(self, item);
            self.static_name = None;
        }
        fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
            if attr.path().is_ident("cors_handler") {
                let tokens = match &attr.meta {
                    syn::Meta::List(list) => list.tokens.clone(),
                    _ => proc_macro2::TokenStream::new(),
                };
                self.found.push(read(&self.case, None, attr.span(), tokens));
            }
        }
        fn visit_expr_macro(&mut self, mac: &'ast syn::ExprMacro) {
            if mac.mac.path.is_ident("cors_config") {
                let name = self.static_name.clone();
                self.found
                    .push(read(&self.case, name, mac.span(), mac.mac.tokens.clone()));
            }
        }
    }
    let text = fs::read_to_string(path).unwrap();
    let mut finder = Finder {
        case: case_name(path),
        found: Vec::new(),
        static_name: None,
    };
    match syn::parse_file(&text) {
        Ok(file) => finder.visit_file(&file),
        // A case whose body does not parse (the attribute parses only the signature): its
        // one-line attributes, read one by one.
        Err(_) => {
            for (index, line) in text.lines().enumerate() {
                if !line.starts_with("#[cors_handler") {
                    continue;
                }
                let parser = syn::Attribute::parse_outer;
                let attrs = syn::parse::Parser::parse_str(parser, line)
                    .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), index + 1));
                for attr in &attrs {
                    finder.visit_attribute(attr);
                }
                if let Some(invocation) = finder.found.last_mut() {
                    invocation.lines = (index + 1, index + 1);
                }
            }
        }
    }
    finder.found
}

fn read(
    case: &str,
    static_name: Option<String>,
    span: proc_macro2::Span,
    tokens: proc_macro2::TokenStream,
) -> Invocation {
    let pairs = policy_text::pairs(tokens);
    Invocation {
        case: case.to_owned(),
        static_name,
        lines: (span.start().line, span.end().line),
        malformed: pairs.is_none(),
        pairs: pairs.unwrap_or_default(),
    }
}

/// The compile errors of a case's `.stderr` (none for a case that compiles).
fn diagnostics(case_file: &Path) -> Vec<Diagnostic> {
    let stderr = case_file.with_extension("stderr");
    let Ok(text) = fs::read_to_string(&stderr) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(message) = line.strip_prefix("error: ") {
            current = Some(message.to_owned());
        } else if let Some(rest) = line.strip_prefix("       ")
            && let Some(message) = current.as_mut()
        {
            message.push('\n');
            message.push_str(rest);
        } else if line.trim_start().starts_with("--> ") {
            if let Some(message) = current.take() {
                let location = line.trim_start().trim_start_matches("--> ");
                let mut parts = location.rsplitn(3, ':');
                let _column = parts.next();
                let line: usize = parts.next().and_then(|l| l.parse().ok()).expect("a line");
                found.push(Diagnostic {
                    line,
                    text: message,
                });
            }
        } else if line.starts_with("error[") {
            // A type error (the handler's signature or types): not the configuration's.
            current = None;
        }
    }
    found
}

/// The builder's problems, each as the attribute words it: the message and its `help:` line.
fn builder_texts(error: &ConfigError) -> Vec<String> {
    error
        .problems()
        .iter()
        .map(|problem| match problem.hint() {
            Some(hint) => format!("{}\nhelp: {hint}", problem.message()),
            None => problem.message().to_owned(),
        })
        .collect()
}

#[test]
fn the_builder_and_the_macros_give_the_same_verdict_with_the_same_words() {
    // SAFETY: this test binary has one test; nothing else runs while it sets the variable that
    // the `origin_env` cases name (the builder reads it, the macros only check its name).
    unsafe { std::env::set_var(ENV_VAR, "https://myapp.com") };

    let mut compared = 0;
    let mut accepted = 0;
    let mut refusals: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let files: Vec<PathBuf> = cases(&ui_dir())
        .into_iter()
        .chain(cases(&ui_dir().join("pass")))
        .collect();
    for file in &files {
        let all = diagnostics(file);
        for invocation in invocations(file) {
            let (first, last) = invocation.lines;
            let expected: Vec<String> = all
                .iter()
                .filter(|d| (first..=last).contains(&d.line))
                .map(|d| d.text.clone())
                .collect();
            let label = match &invocation.static_name {
                Some(name) => format!("{}: static {name}", invocation.case),
                None => invocation.case.clone(),
            };
            // `config = PATH` alone (a handler's flag beside it): the policy it names is a case
            // where it is defined.
            let policy_pairs: Vec<_> = invocation
                .pairs
                .iter()
                .filter(|(key, _)| key != "streaming")
                .collect();
            if matches!(policy_pairs.as_slice(), [(key, Value::Path)] if key == "config")
                && expected.is_empty()
            {
                continue;
            }
            let handler_flag_in_policy = invocation.static_name.is_some()
                && invocation.pairs.iter().any(|(key, _)| key == "streaming");
            let built = match (invocation.malformed, handler_flag_in_policy) {
                (true, _) => Err("not `key = value` pairs".to_owned()),
                (_, true) => Err("a handler's flag in `cors_config!`".to_owned()),
                _ => policy_text::builder(&invocation.pairs),
            };
            let builder = match built {
                Ok(builder) => builder,
                Err(why) => {
                    let name = invocation.static_name.as_deref().map(str::to_lowercase);
                    let listed = |case: &str| SYNTAX_ONLY.iter().any(|(listed, _)| *listed == case);
                    assert!(
                        listed(&invocation.case) || name.as_deref().is_some_and(listed),
                        "{label}: the builder cannot express it ({why}); list it in SYNTAX_ONLY with the reason"
                    );
                    assert!(!expected.is_empty(), "{label}: refused syntax compiles?");
                    continue;
                }
            };
            compared += 1;
            match builder.build() {
                Ok(_) => {
                    assert!(
                        expected.is_empty(),
                        "{label}: the builder accepts what the compiler refused with {expected:#?}"
                    );
                    accepted += 1;
                }
                Err(error) => {
                    let found = builder_texts(&error);
                    assert_eq!(
                        found, expected,
                        "{label}: the builder's problems (left) differ from the compile errors (right)"
                    );
                    if invocation.static_name.is_none() {
                        refusals.insert(invocation.case.clone(), found);
                    }
                }
            }
        }
    }

    // Every refusal of the attribute is also a case of `cors_config!`, with the same words.
    let macro_file = ui_dir().join("config_macro_refusals.rs");
    let macro_diagnostics = diagnostics(&macro_file);
    let by_static: BTreeMap<String, Vec<String>> = invocations(&macro_file)
        .into_iter()
        .filter_map(|invocation| {
            let (first, last) = invocation.lines;
            let texts = macro_diagnostics
                .iter()
                .filter(|d| (first..=last).contains(&d.line))
                .map(|d| d.text.clone())
                .collect();
            invocation
                .static_name
                .map(|name| (name.to_lowercase(), texts))
        })
        .collect();
    for (case, texts) in &refusals {
        assert_eq!(
            by_static.get(case),
            Some(texts),
            "tests/ui/{case}.rs has no `static {}` in config_macro_refusals.rs with the same errors",
            case.to_uppercase()
        );
    }
    for (listed, _) in SYNTAX_ONLY {
        assert!(
            files.iter().any(|f| case_name(f) == *listed),
            "SYNTAX_ONLY lists {listed}, which is not a case"
        );
    }
    eprintln!(
        "{compared} configurations through the builder: {accepted} accepted, {} refused with the \
         attribute's words and again through cors_config!",
        refusals.len()
    );
    assert!(
        compared >= 60 && accepted >= 10 && refusals.len() >= 35,
        "fewer cases than expected: {compared} compared, {accepted} accepted, {} refusals",
        refusals.len()
    );
}

/// The former drift cases, by name, so that their verdicts are asserted even if a case file is
/// renamed: the builder and the macros agree on each (above), and the verdict is this one.
#[test]
fn the_former_drift_cases_have_one_verdict() {
    let purge = CorsConfig::builder()
        .allow_origin("https://myapp.com")
        .allow_methods(["PURGE", "purge"])
        .build();
    assert!(purge.is_ok(), "two methods: they compare case-sensitively");
    let empty = CorsConfig::builder()
        .allow_origin("https://myapp.com")
        .expose_headers(Vec::<&str>::new())
        .build()
        .unwrap_err();
    assert_eq!(
        builder_texts(&empty),
        ["the `expose_headers` list is empty: leave `expose_headers` out for the default"]
    );
    let name = CorsConfig::builder()
        .allow_origins_from_env("ALLOWED ORIGINS")
        .build()
        .unwrap_err();
    assert_eq!(
        builder_texts(&name),
        [
            "`origin_env` names an environment variable: letters, digits and `_`, not starting with a digit"
        ]
    );
    for case in ["empty_expose_headers", "origin_env_invalid_name"] {
        assert!(ui_dir().join(format!("{case}.rs")).exists(), "{case}");
    }
    let shared = fs::read_to_string(ui_dir().join("pass/shared_policy.rs")).unwrap();
    assert!(shared.contains(r#"methods = ["PURGE", "purge"]"#));
}
