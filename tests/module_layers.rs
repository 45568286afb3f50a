//! Modules that import one way (issue 21): each crate's modules form a stack, declared here bottom
//! layer first, and no module refers to one declared above it.
//!
//! Each crate's `src/**/*.rs` is read with `syn`, following the `mod` declarations from `lib.rs`
//! (`#[path]` included). In every module, the paths that start with `crate::`, `super::` or
//! `self::` are collected: `use` trees, paths in types, expressions and patterns, and the tokens of
//! macro calls (`format!("{}", crate::x::Y)`). Each is resolved to the top-level module it names:
//! `crate::origin::refused` is in `origin`, and `crate::Problem` is in whichever module `lib.rs`
//! re-exports it from (`pub use problem::{Location, Problem}`). A reference to a module declared
//! above the referring one fails, as does one to an item defined in `lib.rs` itself (the crate
//! root is above every module), a name the root does not re-export, a module missing from the
//! layer order (a new module must be placed), a layer naming no module, and a file under `src/`
//! that no `mod` declares.
//!
//! What is not counted: doc comments and other attributes (an intra-doc link is no dependency),
//! string literals, references inside a top-level module (between its own submodules), and code
//! under `#[cfg(test)]`: a module's unit tests may go through the crate's entry points
//! (`wildcard`'s tests call `parse_origin`), and nothing else depends on them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::{Ident, TokenStream, TokenTree};
use syn::visit::Visit;

/// `cors-rules`, bottom layer first: the data (the settings' names, then what is wrong and where),
/// the small rules, one origin (its parts, then apps' origins and wildcards, then `parse_origin`),
/// and a whole policy on top. `cors-rules/src/lib.rs` shows the same map, top first.
const CORS_RULES: &[&str] = &[
    "key",
    "problem",
    "list",
    "token",
    "matching",
    "punycode",
    "origin_parts",
    "app",
    "wildcard",
    "origin",
    "policy",
];

/// `cors-runtime`, bottom layer first: every top-level module of `cors-runtime/src` (the name in
/// its `mod` declaration, `__private` for `private.rs`): the data and small rules, the per-request
/// decisions, the request flow, then the public entry points. `cors-runtime/src/lib.rs` shows the
/// same map.
const CORS_RUNTIME: &[&str] = &[
    "panic",
    "problem",
    "error",
    "check",
    "lists",
    "env",
    "config",
    "literal",
    "view",
    "origin",
    "guard",
    "hint",
    "report",
    "headers",
    "preflight",
    "wrapper",
    "dispatch",
    "stream",
    "event",
    "handle",
    "builder",
    "layer",
    "__private",
];

/// `cors-macros`, bottom layer first: every top-level module of `cors-macros/src`, from the
/// collected errors up to the expansion.
const CORS_MACROS: &[&str] = &["errors", "attr", "valid", "handler", "expand"];

#[test]
fn cors_rules_imports_one_way() {
    assert_layered("cors-rules", CORS_RULES);
}

#[test]
fn cors_runtime_imports_one_way() {
    assert_layered("cors-runtime", CORS_RUNTIME);
}

#[test]
fn cors_macros_imports_one_way() {
    assert_layered("cors-macros", CORS_MACROS);
}

/// The check itself, on a small crate written for it: it finds each kind of upward reference, and
/// passes what it must pass.
#[test]
fn the_check_finds_every_kind_of_upward_reference() {
    let dir = std::env::temp_dir().join(format!("cors-module-layers-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let write = |path: &str, text: &str| {
        let path = dir.join("src").join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "mod low;\nmod mid;\n#[path = \"top_file.rs\"]\nmod top;\npub use mid::Mid;\n\
         pub use std::fmt::Debug;\npub fn at_root() {}\n",
    );
    // Below everything: refers up in a `use` group (through the root's re-export), in an
    // expression inside a macro's tokens, to the root's own item, and to a name nobody exports.
    write(
        "low.rs",
        "use crate::{Debug, Mid};\n\
         pub fn f() -> String { format!(\"{:?}\", crate::top::TOP) }\n\
         pub fn g() { crate::at_root() }\n\
         pub fn h() { crate::Missing::new() }\n\
         /// Links [`crate::top::TOP`]: no dependency.\n\
         pub fn doc() {}\n\
         #[cfg(test)]\nmod tests { use crate::top::TOP; }\n",
    );
    // In the middle: a type path up, and `super::` (the root) down; its tests' file is skipped.
    write(
        "mid.rs",
        "pub struct Mid;\npub fn up(_: crate::top::Top) {}\npub fn down() { super::low::f(); }\n\
         #[cfg(test)]\nmod tests;\n",
    );
    write("mid/tests.rs", "use crate::top::TOP;\n");
    write(
        "top_file.rs",
        "pub struct Top;\npub const TOP: u8 = 0;\nuse crate::mid::Mid as M;\n\
         mod inner { use super::super::low::f; use super::Top; }\n",
    );
    write("orphan.rs", "use crate::top::TOP;\n");

    let problems = layer_problems(&dir, &["low", "mid", "top"]);
    let expected = [
        "src/low.rs:1: `low` refers to `crate::Mid` (in `mid`)",
        "src/low.rs:2: `low` refers to `crate::top::TOP` (in `top`)",
        "src/low.rs:3: `low` refers to `crate::at_root` (in the crate root)",
        "src/low.rs:4: `low` refers to `crate::Missing`, which `lib.rs` neither defines nor re-exports",
        "src/mid.rs:2: `mid` refers to `crate::top::Top` (in `top`)",
        "src/orphan.rs: no `mod` declares this file",
    ];
    for expected in expected {
        assert!(
            problems.iter().any(|problem| problem.starts_with(expected)),
            "expected a problem starting {expected:?} among {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");

    let problems = layer_problems(&dir, &["low", "top", "gone"]);
    assert!(problems.contains(&"`mid` is in no layer: place it in the layer order".to_string()));
    assert!(problems.contains(&"the layer order names `gone`, which is no module".to_string()));
    fs::remove_dir_all(&dir).unwrap();
}

/// Fails with every upward reference of the crate at `crate_dir` (from the workspace root).
fn assert_layered(crate_dir: &str, layers: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir);
    let problems = layer_problems(&root, layers);
    assert!(
        problems.is_empty(),
        "{crate_dir}'s modules must import one way (bottom first: {}); move an item down to where \
         its users can reach it, or a user up:\n{}",
        layers.join(", "),
        problems.join("\n")
    );
}

/// What a `crate::NAME` at the crate root stands for.
#[derive(Clone, Debug)]
enum RootName {
    /// A re-export of a top-level module's item, or the module itself.
    Module(String),
    /// A re-export of another crate's item.
    External,
    /// An item `lib.rs` defines itself.
    Root,
}

/// One module's file: where it is, its module path, and whether it is compiled for tests only.
struct ModuleFile {
    path: PathBuf,
    module: Vec<String>,
    test_only: bool,
}

/// A reference to a crate path, as found.
struct Reference {
    line: usize,
    /// The module path of the module it is written in.
    from: Vec<String>,
    /// The path as written (`crate`, `super` or `self` first).
    path: Vec<String>,
}

/// Every violation of `layers` (bottom first) in the crate at `crate_root`.
fn layer_problems(crate_root: &Path, layers: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let src = crate_root.join("src");
    let lib = src.join("lib.rs");
    let lib_file = parse(&lib);

    let files = module_files(&lib, &lib_file);
    let top_level: BTreeSet<String> = files
        .iter()
        .filter_map(|file| file.module.first().cloned())
        .collect();
    let position: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .map(|(index, name)| (*name, index))
        .collect();
    for module in &top_level {
        if !position.contains_key(module.as_str()) {
            problems.push(format!(
                "`{module}` is in no layer: place it in the layer order"
            ));
        }
    }
    for layer in layers {
        if !top_level.contains(*layer) {
            problems.push(format!(
                "the layer order names `{layer}`, which is no module"
            ));
        }
    }

    let reached: BTreeSet<PathBuf> = files.iter().map(|file| normalize(&file.path)).collect();
    let mut all_files = Vec::new();
    rust_files(&src, &mut all_files);
    for file in all_files {
        if !reached.contains(&normalize(&file)) {
            problems.push(format!(
                "{}: no `mod` declares this file",
                relative(crate_root, &file)
            ));
        }
    }

    let root_names = root_names(&lib_file, &top_level);
    for file in files.iter().filter(|file| !file.test_only) {
        let Some(from_top) = file.module.first() else {
            continue; // lib.rs: the root may refer to every module
        };
        let mut finder = References {
            module: file.module.clone(),
            found: Vec::new(),
        };
        finder.visit_file(&parse(&file.path));
        for reference in finder.found {
            let written = reference.path.join("::");
            let at = format!("{}:{}", relative(crate_root, &file.path), reference.line);
            let target = match resolve(&reference, &root_names, &top_level) {
                Resolved::Module(target) => target,
                Resolved::Outside => continue,
                Resolved::Root => {
                    problems.push(format!(
                        "{at}: `{from_top}` refers to `{written}` (in the crate root): the root \
                         is above every module; define it in a module"
                    ));
                    continue;
                }
                Resolved::Unknown(name) => {
                    problems.push(format!(
                        "{at}: `{from_top}` refers to `crate::{name}`, which `lib.rs` neither \
                         defines nor re-exports"
                    ));
                    continue;
                }
            };
            let (Some(&from_at), Some(&target_at)) = (
                position.get(from_top.as_str()),
                position.get(target.as_str()),
            ) else {
                continue; // reported above as in no layer
            };
            if target_at > from_at {
                problems.push(format!(
                    "{at}: `{from_top}` refers to `{written}` (in `{target}`), which is above it"
                ));
            }
        }
    }
    problems
}

/// Where a reference leads.
enum Resolved {
    /// A top-level module (perhaps the referring one itself).
    Module(String),
    /// Outside the crate (a re-export of another crate's item) or inside the referring module.
    Outside,
    /// An item of `lib.rs`.
    Root,
    /// A name at the root that `lib.rs` does not have.
    Unknown(String),
}

fn resolve(
    reference: &Reference,
    root_names: &BTreeMap<String, RootName>,
    top_level: &BTreeSet<String>,
) -> Resolved {
    let mut segments = reference.path.iter().map(String::as_str).peekable();
    let mut base: Vec<&str> = match segments.next() {
        Some("crate") => Vec::new(),
        Some("self") => reference.from.iter().map(String::as_str).collect(),
        Some("super") => {
            let mut base: Vec<&str> = reference.from.iter().map(String::as_str).collect();
            base.pop();
            base
        }
        _ => return Resolved::Outside,
    };
    while segments.peek() == Some(&"super") {
        segments.next();
        base.pop();
    }
    if let Some(top) = base.first() {
        return Resolved::Module(top.to_string());
    }
    match segments.next() {
        None | Some("*") => Resolved::Root,
        Some(name) if top_level.contains(name) => Resolved::Module(name.to_string()),
        Some(name) => match root_names.get(name) {
            Some(RootName::Module(module)) => Resolved::Module(module.clone()),
            Some(RootName::External) => Resolved::Outside,
            Some(RootName::Root) => Resolved::Root,
            None => Resolved::Unknown(name.to_string()),
        },
    }
}

/// The names `lib.rs` gives at the root: its modules' re-exported items and its own items.
fn root_names(lib: &syn::File, top_level: &BTreeSet<String>) -> BTreeMap<String, RootName> {
    let mut names = BTreeMap::new();
    for item in &lib.items {
        match item {
            syn::Item::Use(item) => {
                for path in use_paths(&item.tree) {
                    let first = path.first().map(String::as_str);
                    let module = match first {
                        Some("self" | "crate") => path.get(1),
                        _ => path.first(),
                    };
                    let (Some(module), Some(name)) = (module, path.last()) else {
                        continue;
                    };
                    let meaning = if top_level.contains(module) {
                        RootName::Module(module.clone())
                    } else {
                        RootName::External
                    };
                    names.insert(name.clone(), meaning);
                }
            }
            syn::Item::Mod(_) => {}
            other => {
                if let Some(name) = item_name(other) {
                    names.insert(name, RootName::Root);
                }
            }
        }
    }
    names
}

fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(item) => &item.ident,
        syn::Item::Enum(item) => &item.ident,
        syn::Item::Fn(item) => &item.sig.ident,
        syn::Item::Macro(item) => item.ident.as_ref()?,
        syn::Item::Static(item) => &item.ident,
        syn::Item::Struct(item) => &item.ident,
        syn::Item::Trait(item) => &item.ident,
        syn::Item::Type(item) => &item.ident,
        syn::Item::Union(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// The paths a `use` tree imports, each as its segments (`*` for a glob; a rename keeps the
/// imported name).
fn use_paths(tree: &syn::UseTree) -> Vec<Vec<String>> {
    match tree {
        syn::UseTree::Path(path) => use_paths(&path.tree)
            .into_iter()
            .map(|mut rest| {
                rest.insert(0, path.ident.to_string());
                rest
            })
            .collect(),
        syn::UseTree::Name(name) => vec![vec![name.ident.to_string()]],
        syn::UseTree::Rename(rename) => vec![vec![rename.ident.to_string()]],
        syn::UseTree::Glob(_) => vec![vec!["*".to_string()]],
        syn::UseTree::Group(group) => group.items.iter().flat_map(use_paths).collect(),
    }
}

/// The line of a `use` tree's first identifier.
fn use_line(tree: &syn::UseTree) -> usize {
    match tree {
        syn::UseTree::Path(path) => path.ident.span().start().line,
        syn::UseTree::Name(name) => name.ident.span().start().line,
        syn::UseTree::Rename(rename) => rename.ident.span().start().line,
        syn::UseTree::Glob(glob) => glob.star_token.span.start().line,
        syn::UseTree::Group(group) => group
            .items
            .first()
            .map_or(group.brace_token.span.open().start().line, use_line),
    }
}

/// Every module file reached from `lib.rs` through `mod NAME;` declarations.
fn module_files(lib: &Path, lib_file: &syn::File) -> Vec<ModuleFile> {
    let mut files = vec![ModuleFile {
        path: lib.to_path_buf(),
        module: Vec::new(),
        test_only: false,
    }];
    let dir = lib.parent().unwrap().to_path_buf();
    declared_files(&lib_file.items, &dir, &dir, &[], false, &mut files);
    files
}

/// The files of the out-of-line modules declared in `items`: `dir` is where this file's own
/// `#[path]`s start, `children` where its child modules' files are (`src/` for `lib.rs`,
/// `src/a/` for `src/a.rs`).
fn declared_files(
    items: &[syn::Item],
    dir: &Path,
    children: &Path,
    module: &[String],
    test_only: bool,
    files: &mut Vec<ModuleFile>,
) {
    for item in items {
        let syn::Item::Mod(item) = item else { continue };
        let name = item.ident.to_string();
        let path: Vec<String> = module.iter().cloned().chain([name.clone()]).collect();
        let test_only = test_only || is_cfg_test(&item.attrs);
        if let Some((_, inline)) = &item.content {
            // An inline module: its out-of-line children are in a directory of its name.
            declared_files(
                inline,
                &children.join(&name),
                &children.join(&name),
                &path,
                test_only,
                files,
            );
            continue;
        }
        let file = match path_attribute(&item.attrs) {
            Some(relative) => dir.join(relative),
            None if children.join(format!("{name}.rs")).exists() => {
                children.join(format!("{name}.rs"))
            }
            None => children.join(&name).join("mod.rs"),
        };
        let parsed = parse(&file);
        let file_dir = file.parent().unwrap().to_path_buf();
        let grandchildren = if file.file_name().is_some_and(|f| f == "mod.rs") {
            file_dir.clone()
        } else {
            file_dir.join(file.file_stem().unwrap())
        };
        files.push(ModuleFile {
            path: file.clone(),
            module: path.clone(),
            test_only,
        });
        declared_files(
            &parsed.items,
            &file_dir,
            &grandchildren,
            &path,
            test_only,
            files,
        );
    }
}

fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(meta) if meta.path.is_ident("path") => match &meta.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) => Some(text.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Whether the attributes compile the item for tests only: a `cfg` that names `test`, not under
/// `not`.
fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    fn names_test(tokens: TokenStream) -> bool {
        let mut after_not = false;
        for token in tokens {
            match token {
                TokenTree::Ident(ident) if ident == "test" => return true,
                TokenTree::Ident(ident) => after_not = ident == "not",
                TokenTree::Group(group) if !after_not => {
                    if names_test(group.stream()) {
                        return true;
                    }
                }
                _ => after_not = false,
            }
        }
        false
    }
    attrs.iter().any(|attr| match &attr.meta {
        syn::Meta::List(list) if list.path.is_ident("cfg") => names_test(list.tokens.clone()),
        _ => false,
    })
}

/// Collects the crate paths of one file, skipping what is compiled for tests only.
struct References {
    module: Vec<String>,
    found: Vec<Reference>,
}

impl References {
    fn push(&mut self, line: usize, path: Vec<String>) {
        if path.len() >= 2 && matches!(path[0].as_str(), "crate" | "super" | "self") {
            self.found.push(Reference {
                line,
                from: self.module.clone(),
                path,
            });
        }
    }

    /// `crate::a::B` (or `super::`, `self::`) in a macro's tokens.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut index = 0;
        while index < tokens.len() {
            match &tokens[index] {
                TokenTree::Group(group) => self.scan_tokens(group.stream()),
                TokenTree::Ident(ident)
                    if ident == "crate" || ident == "super" || ident == "self" =>
                {
                    let (path, next) = path_in_tokens(&tokens, index);
                    self.push(ident.span().start().line, path);
                    index = next;
                    continue;
                }
                _ => {}
            }
            index += 1;
        }
    }
}

/// The path `ident (:: ident)*` starting at `start`, and the index after it.
fn path_in_tokens(tokens: &[TokenTree], start: usize) -> (Vec<String>, usize) {
    let mut path = Vec::new();
    let mut index = start;
    while let Some(TokenTree::Ident(ident)) = tokens.get(index) {
        path.push(ident.to_string());
        let colons = matches!(
            (tokens.get(index + 1), tokens.get(index + 2)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && b.as_char() == ':'
        );
        if !colons {
            return (path, index + 1);
        }
        index += 3;
    }
    (path, index)
}

impl<'ast> Visit<'ast> for References {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_cfg_test(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Const(item) => &item.attrs,
            syn::ImplItem::Fn(item) => &item.attrs,
            syn::ImplItem::Type(item) => &item.attrs,
            syn::ImplItem::Macro(item) => &item.attrs,
            _ => return syn::visit::visit_impl_item(self, item),
        };
        if !is_cfg_test(attrs) {
            syn::visit::visit_impl_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        // An out-of-line module is a file of its own; an inline one is visited inside its path.
        if let Some((_, items)) = &item.content {
            self.module.push(item.ident.to_string());
            for item in items {
                self.visit_item(item);
            }
            self.module.pop();
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let line = use_line(&item.tree);
        for path in use_paths(&item.tree) {
            self.push(line, path);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<Ident> = path.segments.iter().map(|s| s.ident.clone()).collect();
        if let Some(first) = segments.first() {
            let line = first.span().start().line;
            self.push(line, segments.iter().map(Ident::to_string).collect());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.scan_tokens(mac.tokens.clone());
    }

    /// Attributes (doc comments, `cfg`, `derive`) are no dependency.
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    /// `pub(in crate::a)` restricts who sees an item; it uses nothing.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(item) => &item.attrs,
        syn::Item::Enum(item) => &item.attrs,
        syn::Item::ExternCrate(item) => &item.attrs,
        syn::Item::Fn(item) => &item.attrs,
        syn::Item::ForeignMod(item) => &item.attrs,
        syn::Item::Impl(item) => &item.attrs,
        syn::Item::Macro(item) => &item.attrs,
        syn::Item::Mod(item) => &item.attrs,
        syn::Item::Static(item) => &item.attrs,
        syn::Item::Struct(item) => &item.attrs,
        syn::Item::Trait(item) => &item.attrs,
        syn::Item::TraitAlias(item) => &item.attrs,
        syn::Item::Type(item) => &item.attrs,
        syn::Item::Union(item) => &item.attrs,
        syn::Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

fn parse(path: &Path) -> syn::File {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|err| panic!("cannot parse {}: {err}", path.display()))
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

fn normalize(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn relative(root: &Path, path: &Path) -> String {
    let root = normalize(root);
    let path = normalize(path);
    path.strip_prefix(&root)
        .unwrap_or(&path)
        .display()
        .to_string()
}
