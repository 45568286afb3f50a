//! Hostile `Origin` values against every kind of configuration.
//!
//! Each row of [`cases`] is one request origin from a known class of CORS misconfiguration
//! (reflected origin, `null`, prefix and suffix tricks, unescaped dots, scheme downgrade, ports,
//! trailing dot or slash, case, percent-encoding and special characters, userinfo, backslashes,
//! non-UTF-8 bytes, very long values), with the configurations that really allow it. Every row
//! is sent to every configuration (attribute and builder alike), as a simple request whose
//! handler succeeds, fails or panics, and as two preflights; multiple and missing `Origin`
//! headers have their own test.
//!
//! The configurations cover every origin form: a single literal origin, lists, a whole-label
//! wildcard (`https://*.myapp.com`), a wildcard inside a label (`https://pr-*.preview.myapp.com`),
//! any port on a loopback host (`http://localhost:*`, `https://localhost:*`, `http://127.0.0.1:*`,
//! `http://[::1]:*`), apps' and extensions' origins (`capacitor://localhost`,
//! `chrome-extension://<id>`, ...), `*`, lists from the environment, and a check in code
//! (`origin_fn`, synchronous and `async`, beside a list or alone). For a check, every request also
//! counts the calls: the check is asked exactly once about a request's single, well-formed
//! serialized origin that the list does not allow ([`serialized_origin`], written here from the
//! contract), and never about `null`, two `Origin`s, non-ASCII or malformed values; its `Err` and
//! its panic grant nothing.
//!
//! *Granted* means the response's `Access-Control-Allow-Origin` names the request's origin (or is
//! `*`, for the `*` configuration only). A single literal origin may instead send itself as a
//! static ACAO on every response that is not a preflight answer: the browser compares it.

use std::cell::RefCell;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Once};

use cors_runtime::{CorsConfig, cors_config, cors_handler};
use cors_tests::reference::serialized_origin;
use lambda_http::http::{HeaderValue, Method, Request as HttpRequest, StatusCode};
use lambda_http::{Body, Error, Request, Response};

const ALLOWED: &str = "https://myapp.com";
const LOCAL: &str = "http://localhost:5173";
const WILDCARD: &str = "https://*.myapp.com";
const PREVIEW_WILDCARD: &str = "https://pr-*.preview.myapp.com";
const ANY_LOCAL_PORT: &str = "http://localhost:*";
const LOOPBACK_PORTS: [&str; 3] = [
    "https://localhost:*",
    "http://127.0.0.1:*",
    "http://[::1]:*",
];
const CHROME_EXTENSION: &str = "chrome-extension://cciilamhchpmbdnniabclekddabkifhb";
const MOZ_EXTENSION: &str = "moz-extension://c0b8a9f2-5d1e-4c3b-9a7f-1e2d3c4b5a69";
const SAFARI_EXTENSION: &str = "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E";
const APPS: [&str; 6] = [
    "capacitor://localhost",
    "ionic://localhost",
    "tauri://localhost",
    CHROME_EXTENSION,
    MOZ_EXTENSION,
    SAFARI_EXTENSION,
];

/// The variables the `origin_env` handlers read, each used by one handler only (a variable is
/// read once per process).
const ENV_LIST: &str = "CORS_ADVERSARIAL_ENV_LIST";
const ENV_SINGLE: &str = "CORS_ADVERSARIAL_ENV_SINGLE";
const ENV_BUILDER: &str = "CORS_ADVERSARIAL_ENV_BUILDER";
const ENV_STAR: &str = "CORS_ADVERSARIAL_ENV_STAR_WITH_CREDENTIALS";
const ENV_FORMS: &str = "CORS_ADVERSARIAL_ENV_FORMS";
const ENV_FORMS_BUILDER: &str = "CORS_ADVERSARIAL_ENV_FORMS_BUILDER";
const ENV_LIST_VALUE: &str = "https://myapp.com, http://localhost:5173,https://*.myapp.com";
/// The new forms, from the environment: a wildcard inside a label, any local port, an app.
const ENV_FORMS_VALUE: &str =
    "https://pr-*.preview.myapp.com, http://localhost:*,\tcapacitor://localhost";

const PANIC_MARKER: &str = "adversarial handler panics on purpose";

/// Sets the variables once, before any handler reads them.
fn set_env() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: std serializes `set_var` with every `std::env::var` through its environment
        // lock, and nothing in this test binary reads the environment from C code.
        unsafe {
            std::env::set_var(ENV_LIST, ENV_LIST_VALUE);
            std::env::set_var(ENV_SINGLE, ALLOWED);
            std::env::set_var(ENV_BUILDER, ENV_LIST_VALUE);
            std::env::set_var(ENV_STAR, "*");
            std::env::set_var(ENV_FORMS, ENV_FORMS_VALUE);
            std::env::set_var(ENV_FORMS_BUILDER, ENV_FORMS_VALUE);
        }
        // The handler's deliberate panics are expected; every other panic (a failed assertion)
        // is reported as usual.
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&PANIC_MARKER) {
                default_hook(info);
            }
        }));
    });
}

/// What every handler does: `/err` fails, `/panic` panics, anything else succeeds with a `Vary`
/// of its own.
async fn behaviour(event: Request) -> Result<Response<Body>, Error> {
    match event.uri().path() {
        "/err" => Err("database password is hunter2".into()),
        "/panic" => std::panic::panic_any(PANIC_MARKER),
        _ => Ok(Response::builder()
            .header("vary", "accept-encoding")
            .body("handled".into())?),
    }
}

#[cors_handler(origin = "https://myapp.com", credentials = true)]
async fn literal(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin = ["https://myapp.com", "http://localhost:5173"], credentials = true)]
async fn list(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin = "https://*.myapp.com", credentials = true)]
async fn wildcard(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin = "*")]
async fn any(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin_env = "CORS_ADVERSARIAL_ENV_LIST", credentials = true)]
async fn env_list(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin_env = "CORS_ADVERSARIAL_ENV_SINGLE", credentials = true)]
async fn env_single(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(
    origin_env = "CORS_ADVERSARIAL_ENV_STAR_WITH_CREDENTIALS",
    credentials = true
)]
async fn env_star_with_credentials(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin = "https://pr-*.preview.myapp.com", credentials = true)]
async fn preview(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin = "http://localhost:*", credentials = true)]
async fn any_local_port(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(
    origin = ["https://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"],
    credentials = true
)]
async fn loopback(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(
    origin = [
        "capacitor://localhost",
        "ionic://localhost",
        "tauri://localhost",
        "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
        "moz-extension://c0b8a9f2-5d1e-4c3b-9a7f-1e2d3c4b5a69",
        "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
    ],
    credentials = true
)]
async fn apps(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin_env = "CORS_ADVERSARIAL_ENV_FORMS", credentials = true)]
async fn env_forms(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

thread_local! {
    /// What the checks in code were asked on this thread, in order. A `#[tokio::test]` runs its
    /// requests (and an `async` check's future) on its own thread, so tests running at the same
    /// time do not see each other's calls.
    static ASKED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The calls since the last time, taken.
fn asked() -> Vec<String> {
    ASKED.with(|asked| std::mem::take(&mut *asked.borrow_mut()))
}

/// What every check in code answers: an origin naming a `tenant` is allowed, one naming `boom`
/// panics, one naming `down` fails. Generous on purpose: a malformed value with `tenant` in it
/// would be granted if it were ever put to the check.
fn tenant_verdict(origin: &str) -> Result<bool, &'static str> {
    ASKED.with(|asked| asked.borrow_mut().push(origin.to_owned()));
    if origin.contains("boom") {
        std::panic::panic_any(PANIC_MARKER);
    }
    if origin.contains("down") {
        return Err("the tenant table is unreachable");
    }
    Ok(origin.contains("tenant"))
}

/// The reference's side of [`tenant_verdict`]: what it grants.
fn tenant_grants(origin: &str) -> bool {
    origin.contains("tenant") && !origin.contains("boom") && !origin.contains("down")
}

mod checks {
    /// `origin_fn = checks::known`: a synchronous check whose error is logged and grants nothing.
    pub fn known(origin: &str) -> Result<bool, &'static str> {
        super::tenant_verdict(origin)
    }

    /// `origin_fn = async checks::lookup`.
    pub async fn lookup(origin: &str) -> Result<bool, std::io::Error> {
        tokio::task::yield_now().await;
        super::tenant_verdict(origin).map_err(std::io::Error::other)
    }
}

#[cors_handler(origin = "https://myapp.com", origin_fn = checks::known, credentials = true)]
async fn origin_fn_sync(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

static ASYNC_CHECKED: CorsConfig = cors_config!(
    origin = ["https://myapp.com"],
    origin_fn = async crate::checks::lookup,
    credentials = true,
);

#[cors_handler(config = ASYNC_CHECKED)]
async fn origin_fn_async(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin_fn = async checks::lookup, credentials = true)]
async fn origin_fn_alone(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

/// What a configuration allows, for the expectations of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `https://myapp.com` alone.
    Literal,
    /// `https://myapp.com`, `http://localhost:5173`.
    List,
    /// `https://*.myapp.com`.
    Wildcard,
    /// `*`.
    Any,
    /// The list and the wildcard, from the environment.
    Env,
    /// `https://myapp.com` alone, from the environment (echoed, not static).
    EnvSingle,
    /// `https://pr-*.preview.myapp.com`.
    Preview,
    /// `http://localhost:*`.
    AnyPort,
    /// `https://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`.
    Loopback,
    /// [`APPS`]: apps' and extensions' origins.
    Apps,
    /// [`ENV_FORMS_VALUE`] from the environment.
    EnvForms,
    /// `https://myapp.com` (a list of one) and the check in code, synchronous or `async`.
    Checked,
    /// The check in code alone.
    CheckOnly,
}

impl Kind {
    /// Whether every response varies on `Origin` (all but a single literal origin and `*`).
    fn varies(self) -> bool {
        !matches!(self, Literal | Any)
    }

    /// Whether the configuration has a check in code.
    fn checks(self) -> bool {
        matches!(self, Checked | CheckOnly)
    }
}

use Kind::*;

const NOBODY: &[Kind] = &[];
const EXACT: &[Kind] = &[Literal, List, Env, EnvSingle, Checked];
const LOCALHOST: &[Kind] = &[List, Env, AnyPort, EnvForms];
const SUBDOMAIN: &[Kind] = &[Wildcard, Env];
/// `https://pr-<labelish>.preview.myapp.com`, also one or more whole labels under `myapp.com`.
const PREVIEW: &[Kind] = &[Wildcard, Env, Preview, EnvForms];
/// What the `*` inside a label may stand for (`a-z`, `0-9`, `-`) that is no DNS label of its own
/// (a label ending with `-`): the label wildcard's, not the whole-label wildcard's.
const PREVIEW_ONLY: &[Kind] = &[Preview, EnvForms];
/// `http://localhost:<port>`, a port other than 5173.
const LOCAL_PORT: &[Kind] = &[AnyPort, EnvForms];
const LOOPBACK: &[Kind] = &[Loopback];
const CAPACITOR: &[Kind] = &[Apps, EnvForms];
const APP: &[Kind] = &[Apps];
/// What the check in code grants (never asked where the list already grants).
const TENANT: &[Kind] = &[Checked, CheckOnly];

/// One request origin, its class, and the configurations that allow it (`*` allows everyone and
/// is not listed).
struct Case {
    class: &'static str,
    origin: Vec<u8>,
    allowed_by: &'static [Kind],
}

fn case(class: &'static str, origin: impl AsRef<[u8]>, allowed_by: &'static [Kind]) -> Case {
    Case {
        class,
        origin: origin.as_ref().to_vec(),
        allowed_by,
    }
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let mut cases = vec![
        // What is allowed is granted: the controls that make every denial below meaningful.
        case("control", ALLOWED, EXACT),
        case("control", LOCAL, LOCALHOST),
        case("control", "https://a.myapp.com", SUBDOMAIN),
        case("control", "https://a.b.myapp.com", SUBDOMAIN),
        case("control", "https://pr-17.preview.myapp.com", PREVIEW),
        case("control", "https://xn--mnchen-3ya.myapp.com", SUBDOMAIN),
        case("control", "https://evil.net.myapp.com", SUBDOMAIN),
        case("control", "https://myapp.com.myapp.com", SUBDOMAIN),
        case("control", "https://0.myapp.com", SUBDOMAIN),

        case("reflected origin", "https://evil.net", NOBODY),
        case("reflected origin", "https://attacker.example", NOBODY),
        case("reflected origin", "http://evil.net", NOBODY),
        case("reflected origin", "http://127.0.0.1:5173", LOOPBACK),
        case("reflected origin", "http://[::1]:5173", LOOPBACK),

        case("null", "null", NOBODY),
        case("null", "NULL", NOBODY),
        case("null", "Null", NOBODY),
        case("null", "null ", NOBODY),
        case("null", "nul", NOBODY),

        case("prefix trick", "https://myapp.com.evil.net", NOBODY),
        case("prefix trick", "https://myapp.com-evil.net", NOBODY),
        case("prefix trick", "https://myapp.comevil.net", NOBODY),
        case("prefix trick", "https://myapp.com.evil.net:443", NOBODY),
        case("prefix trick", "http://localhost:5173.evil.net", NOBODY),
        case("prefix trick", "http://localhost:51730", LOCAL_PORT),
        case("prefix trick", "https://a.myapp.com.evil.net", NOBODY),
        case("prefix trick", "https://myapp.community", NOBODY),

        case("suffix trick", "https://evilmyapp.com", NOBODY),
        case("suffix trick", "https://evil-myapp.com", NOBODY),
        case("suffix trick", "https://evil.netmyapp.com", NOBODY),
        case("suffix trick", "https://xmyapp.com", NOBODY),
        case("suffix trick", "https://.myapp.com", NOBODY),
        case("suffix trick", "https://..myapp.com", NOBODY),
        case("suffix trick", "https://a..myapp.com", NOBODY),
        case("suffix trick", "http://evillocalhost:5173", NOBODY),
        case("suffix trick", "https://evil.com/.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com?.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com#.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com:.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com,.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com=.myapp.com", NOBODY),

        case("unescaped dot", "https://myappxcom", NOBODY),
        case("unescaped dot", "https://myapp-com.evil", NOBODY),
        case("unescaped dot", "https://myapp_com", NOBODY),
        case("unescaped dot", "https://wwwxmyapp.com", NOBODY),
        case("unescaped dot", "https://a-myapp.com", NOBODY),
        case("unescaped dot", "http://localhostx5173", NOBODY),
        case("unescaped dot", "https://myapp.co", NOBODY),
        case("unescaped dot", "https://myapp.com.co", NOBODY),

        case("scheme downgrade", "http://myapp.com", NOBODY),
        case("scheme downgrade", "http://a.myapp.com", NOBODY),
        case("scheme downgrade", "https://localhost:5173", LOOPBACK),
        case("scheme", "HTTPS://myapp.com", NOBODY),
        case("scheme", "Https://myapp.com", NOBODY),
        case("scheme", "https:/myapp.com", NOBODY),
        case("scheme", "https:myapp.com", NOBODY),
        case("scheme", "https//myapp.com", NOBODY),
        case("scheme", "//myapp.com", NOBODY),
        case("scheme", "myapp.com", NOBODY),
        case("scheme", "wss://myapp.com", NOBODY),
        case("scheme", "ftp://myapp.com", NOBODY),
        case("scheme", "file://", NOBODY),
        case("scheme", "chrome-extension://myapp.com", NOBODY),
        case("scheme", "https://https://myapp.com", NOBODY),
        case("scheme", "https ://myapp.com", NOBODY),

        case("other port", "https://myapp.com:443", NOBODY),
        case("other port", "https://myapp.com:8443", NOBODY),
        case("other port", "https://myapp.com:", NOBODY),
        case("other port", "https://myapp.com:0", NOBODY),
        case("other port", "https://myapp.com:0443", NOBODY),
        case("other port", "https://myapp.com:65536", NOBODY),
        case("other port", "http://localhost:5174", LOCAL_PORT),
        case("other port", "http://localhost", NOBODY),
        // Any port as written, 1 to 65535: `:80` too, which no browser writes for `http` (harmless).
        case("other port", "http://localhost:80", LOCAL_PORT),
        case("other port", "http://localhost:05173", NOBODY),
        case("other port", "http://localhost:5173:5173", NOBODY),
        case("other port", "https://a.myapp.com:443", NOBODY),
        case("other port", "https://a.myapp.com:8443", NOBODY),
        case("other port", "https://a.myapp.com:", NOBODY),

        case("trailing dot or slash", "https://myapp.com.", NOBODY),
        case("trailing dot or slash", "https://myapp.com/", NOBODY),
        case("trailing dot or slash", "https://myapp.com//", NOBODY),
        case("trailing dot or slash", "https://myapp.com/path", NOBODY),
        case("trailing dot or slash", "https://myapp.com?", NOBODY),
        case("trailing dot or slash", "https://myapp.com?x=1", NOBODY),
        case("trailing dot or slash", "https://myapp.com#", NOBODY),
        case("trailing dot or slash", "http://localhost:5173/", NOBODY),
        case("trailing dot or slash", "https://a.myapp.com.", NOBODY),
        case("trailing dot or slash", "https://a.myapp.com/", NOBODY),

        case("upper case", "https://MyApp.com", NOBODY),
        case("upper case", "https://MYAPP.COM", NOBODY),
        case("upper case", "HTTPS://MYAPP.COM", NOBODY),
        case("upper case", "https://myapp.Com", NOBODY),
        case("upper case", "https://A.myapp.com", NOBODY),
        case("upper case", "https://a.MyApp.com", NOBODY),
        case("upper case", "HTTP://localhost:5173", NOBODY),
        case("upper case", "http://LOCALHOST:5173", NOBODY),

        case("percent-encoding", "https://myapp%2ecom", NOBODY),
        case("percent-encoding", "https://myapp.com%2f", NOBODY),
        case("percent-encoding", "https://%6dyapp.com", NOBODY),
        case("percent-encoding", "https://myapp.com%00", NOBODY),
        case("percent-encoding", "https://a%2emyapp.com", NOBODY),
        case("percent-encoding", "https://evil.com%2f.myapp.com", NOBODY),
        case("percent-encoding", "https://myapp.com%0d%0aSet-Cookie:%20x=1", NOBODY),
        case("special characters", "", NOBODY),
        case("special characters", "*", NOBODY),
        case("special characters", "https://*.myapp.com", NOBODY),
        case("special characters", "https://*", NOBODY),
        case("special characters", "https://a*.myapp.com", NOBODY),
        case("special characters", "https://myapp.com;", NOBODY),
        case("special characters", "https://myapp.com,https://evil.net", NOBODY),
        case("special characters", "https://evil.net,https://myapp.com", NOBODY),
        case("special characters", "https://myapp.com, https://myapp.com", NOBODY),
        case("special characters", "https://myapp.com https://evil.net", NOBODY),
        case("special characters", " https://myapp.com", NOBODY),
        case("special characters", "https://myapp.com ", NOBODY),
        case("special characters", "\thttps://myapp.com", NOBODY),
        case("special characters", "https://myapp.com\t", NOBODY),
        case("special characters", "https://a.myapp.com\t", NOBODY),
        case("special characters", "https://a_b.myapp.com", NOBODY),
        case("special characters", "https://-a.myapp.com", NOBODY),
        case("special characters", "https://a-.myapp.com", NOBODY),
        case("special characters", "https://a.myapp.com\"", NOBODY),
        case("special characters", "https://myapp.com'", NOBODY),
        case("special characters", "https://myapp.com<script>", NOBODY),
        case("special characters", "https://a~b.myapp.com", NOBODY),
        case("special characters", "https://a!.myapp.com", NOBODY),

        case("userinfo", "https://myapp.com@evil.net", NOBODY),
        case("userinfo", "https://evil.net@myapp.com", NOBODY),
        case("userinfo", "https://user:pass@myapp.com", NOBODY),
        case("userinfo", "https://a.myapp.com@evil.net", NOBODY),
        case("userinfo", "https://evil.net@a.myapp.com", NOBODY),
        case("userinfo", "https://myapp.com:443@evil.net", NOBODY),
        case("userinfo", "http://localhost:5173@evil.net", NOBODY),
        case("userinfo", "https://@myapp.com", NOBODY),

        case("backslash", "https://myapp.com\\evil.net", NOBODY),
        case("backslash", "https://evil.net\\.myapp.com", NOBODY),
        case("backslash", "https:\\\\myapp.com", NOBODY),
        case("backslash", "https://evil.net\\@myapp.com", NOBODY),
        case("backslash", "https://myapp.com\\", NOBODY),
        case("backslash", "https://a\\.myapp.com", NOBODY),

        case("non-UTF-8", b"https://myapp.com\xff", NOBODY),
        case("non-UTF-8", b"\xffhttps://myapp.com", NOBODY),
        case("non-UTF-8", b"https://myapp.c\xf6m", NOBODY),
        case("non-UTF-8", b"https://myapp.com\x80", NOBODY),
        case("non-UTF-8", b"https://a.myapp.com\xff", NOBODY),
        case("non-UTF-8", b"https://\xe9vil.myapp.com", NOBODY),
        case("non-ASCII", "https://my\u{e4}pp.com", NOBODY),
        case("non-ASCII", "https://\u{e9}vil.myapp.com", NOBODY),
        case("non-ASCII", "https://m\u{443}app.com", NOBODY),
        case("non-ASCII", "https://myapp\u{3002}com", NOBODY),
        case("non-ASCII", "https://a.myapp.com\u{200b}", NOBODY),

        // A wildcard inside the first label: `https://pr-*.preview.myapp.com`.
        case("control", "https://pr-1.preview.myapp.com", PREVIEW),
        case("control", "https://pr-feature-login.preview.myapp.com", PREVIEW),
        case("control", "https://pr-0.preview.myapp.com", PREVIEW),
        case("control", "https://pr-1-.preview.myapp.com", PREVIEW_ONLY),
        case("control", "https://pr---.preview.myapp.com", PREVIEW_ONLY),
        case("label wildcard", "https://pr-.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-a.b.preview.myapp.com", SUBDOMAIN),
        case("label wildcard", "https://pr-.b.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1..preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1.preview.myapp.com.evil.com", NOBODY),
        case("label wildcard", "https://pr-1.preview.myapp.com.", NOBODY),
        case("label wildcard", "https://pr-1.preview.myapp.com/", NOBODY),
        case("label wildcard", "https://pr-1.preview.myapp.com:8443", NOBODY),
        case("label wildcard", "https://pr-1.preview.myapp.com:443", NOBODY),
        case("label wildcard", "https://pr-1.preview.myapp.co", NOBODY),
        case("label wildcard", "https://pr-1.preview-myapp.com", NOBODY),
        case("label wildcard", "https://pr-1.preview.myapp.com@evil.com", NOBODY),
        case("label wildcard", "https://pr-A.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-Feature.preview.myapp.com", NOBODY),
        case("label wildcard", "https://PR-1.preview.myapp.com", NOBODY),
        case("label wildcard", "https://Pr-1.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1.PREVIEW.myapp.com", NOBODY),
        case("label wildcard", "HTTPS://pr-1.preview.myapp.com", NOBODY),
        case("label wildcard", "http://pr-1.preview.myapp.com", NOBODY),
        case("label wildcard", "https://xpr-1.preview.myapp.com", SUBDOMAIN),
        case("label wildcard", "https://pr1.preview.myapp.com", SUBDOMAIN),
        case("label wildcard", "https://preview.myapp.com", SUBDOMAIN),
        case("label wildcard", "https://pr-1.xpreview.myapp.com", SUBDOMAIN),
        case("label wildcard", "https://.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-*.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-a_b.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-a b.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-a%2eb.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1@evil.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1:1.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1\\.preview.myapp.com", NOBODY),
        case("label wildcard", "https://evil.com/pr-1.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1.evil.com/.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1.evil.com?.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-1.evil.com#.preview.myapp.com", NOBODY),
        case("label wildcard", "https://pr-\u{e9}.preview.myapp.com", NOBODY),
        case("label wildcard", b"https://pr-\xff.preview.myapp.com", NOBODY),

        // Any port on a loopback host: `http://localhost:*` (and `https://localhost:*`,
        // `http://127.0.0.1:*`, `http://[::1]:*` in the loopback list).
        case("control", "http://localhost:1", LOCAL_PORT),
        case("control", "http://localhost:3000", LOCAL_PORT),
        case("control", "http://localhost:65535", LOCAL_PORT),
        case("control", "http://127.0.0.1:8080", LOOPBACK),
        case("control", "http://[::1]:65535", LOOPBACK),
        case("port wildcard", "http://localhost:0", NOBODY),
        case("port wildcard", "http://localhost:00", NOBODY),
        case("port wildcard", "http://localhost:080", NOBODY),
        case("port wildcard", "http://localhost:03000", NOBODY),
        case("port wildcard", "http://localhost:65536", NOBODY),
        case("port wildcard", "http://localhost:99999", NOBODY),
        case("port wildcard", "http://localhost:100000", NOBODY),
        case("port wildcard", "http://localhost:4294967297", NOBODY),
        case("port wildcard", "http://localhost:", NOBODY),
        case("port wildcard", "http://localhost:*", NOBODY),
        case("port wildcard", "http://localhost:+80", NOBODY),
        case("port wildcard", "http://localhost:-1", NOBODY),
        case("port wildcard", "http://localhost:0x50", NOBODY),
        case("port wildcard", "http://localhost:3e3", NOBODY),
        case("port wildcard", "http://localhost: 3000", NOBODY),
        case("port wildcard", "http://localhost:3000 ", NOBODY),
        case("port wildcard", "http://localhost:\u{661}\u{662}", NOBODY),
        case("port wildcard", "http://localhost:3000.evil.com", NOBODY),
        case("port wildcard", "http://localhost:3000/", NOBODY),
        case("port wildcard", "http://localhost:3000#", NOBODY),
        case("port wildcard", "http://localhost:3000:3000", NOBODY),
        case("port wildcard", "http://localhost:3000@evil.com", NOBODY),
        case("port wildcard", "http://localhost.evil.com:3000", NOBODY),
        case("port wildcard", "http://evil.localhost:3000", NOBODY),
        case("port wildcard", "http://localhost.:3000", NOBODY),
        case("port wildcard", "http://LOCALHOST:3000", NOBODY),
        case("port wildcard", "http://Localhost:3000", NOBODY),
        case("port wildcard", "HTTP://localhost:3000", NOBODY),
        case("port wildcard", "https://localhost:3000", LOOPBACK),
        case("port wildcard", "https://localhost", NOBODY),
        case("port wildcard", "http://127.0.0.1:3000", LOOPBACK),
        case("port wildcard", "http://127.0.0.1", NOBODY),
        case("port wildcard", "http://127.0.0.1:0", NOBODY),
        case("port wildcard", "http://127.0.0.1:3000.evil.com", NOBODY),
        case("port wildcard", "http://127.0.0.2:3000", NOBODY),
        case("port wildcard", "http://127.1:3000", NOBODY),
        case("port wildcard", "http://127.000.0.1:3000", NOBODY),
        case("port wildcard", "https://127.0.0.1:3000", NOBODY),
        case("port wildcard", "http://[::1]:3000", LOOPBACK),
        case("port wildcard", "http://[::1]", NOBODY),
        case("port wildcard", "http://[::1]:080", NOBODY),
        case("port wildcard", "http://[::1]:3000]", NOBODY),
        case("port wildcard", "http://[::2]:3000", NOBODY),
        case("port wildcard", "http://[0:0:0:0:0:0:0:1]:3000", NOBODY),
        case("port wildcard", "http://[::0:1]:3000", NOBODY),
        case("port wildcard", "http://::1:3000", NOBODY),

        // Apps' and extensions' origins, matched exactly.
        case("control", "capacitor://localhost", CAPACITOR),
        case("control", "ionic://localhost", APP),
        case("control", "tauri://localhost", APP),
        case("control", CHROME_EXTENSION, APP),
        case("control", MOZ_EXTENSION, APP),
        case("control", SAFARI_EXTENSION, APP),
        case("app scheme", "capacitor://localhost.evil", NOBODY),
        case("app scheme", "capacitor://evil.localhost", NOBODY),
        case("app scheme", "capacitor://localhostx", NOBODY),
        case("app scheme", "capacitor://localhost.", NOBODY),
        case("app scheme", "capacitor://localhost:1", NOBODY),
        case("app scheme", "capacitor://localhost/", NOBODY),
        case("app scheme", "capacitor://localhost@evil.net", NOBODY),
        case("app scheme", "capacitor://evil@localhost", NOBODY),
        case("app scheme", "capacitor://localhost ", NOBODY),
        case("app scheme", "CAPACITOR://localhost", NOBODY),
        case("app scheme", "Capacitor://localhost", NOBODY),
        case("app scheme", "TAURI://localhost", NOBODY),
        case("app scheme", "capacitor://LOCALHOST", NOBODY),
        case("app scheme", "capacitor://Localhost", NOBODY),
        case("app scheme", "capacitor:localhost", NOBODY),
        case("app scheme", "capacitor:/localhost", NOBODY),
        case("app scheme", "capacitor:///localhost", NOBODY),
        case("app scheme", "xcapacitor://localhost", NOBODY),
        case("app scheme", "capacitorx://localhost", NOBODY),
        case("app scheme", "capacitor://", NOBODY),
        case("app scheme", "capacitor://*", NOBODY),
        case("app scheme", "ionic://localhost:8100", NOBODY),
        case("app scheme", "tauri://localhost\\", NOBODY),
        case("app scheme", "file:///home/me/index.html", NOBODY),
        case("app scheme", "data:text/html,<b>hi</b>", NOBODY),
        case("app scheme", "blob:https://myapp.com/1234", NOBODY),
        case("app scheme", "javascript:alert(1)", NOBODY),
        case("app scheme", "about:blank", NOBODY),
        case("app scheme", "filesystem:https://myapp.com/temporary/", NOBODY),
        case("app scheme", "ws://localhost:3000", NOBODY),
        case("app scheme", "ftp://localhost", NOBODY),
        case("extension", "chrome-extension://cciilamhchpmbdnniabclekddabkifh", NOBODY),
        case("extension", "chrome-extension://cciilamhchpmbdnniabclekddabkifhbb", NOBODY),
        case("extension", "chrome-extension://cciilamhchpmbdnniabclekddabkifhc", NOBODY),
        case("extension", "chrome-extension://CCIILAMHCHPMBDNNIABCLEKDDABKIFHB", NOBODY),
        case("extension", "chrome-extension://Cciilamhchpmbdnniabclekddabkifhb", NOBODY),
        case("extension", "CHROME-EXTENSION://cciilamhchpmbdnniabclekddabkifhb", NOBODY),
        case("extension", "chrome-extension://cciilamhchpmbdnniabclekddabkifhb/", NOBODY),
        case("extension", "chrome-extension://cciilamhchpmbdnniabclekddabkifhb.evil", NOBODY),
        case("extension", "chrome-extension://*", NOBODY),
        case("extension", "moz-extension://C0B8A9F2-5D1E-4C3B-9A7F-1E2D3C4B5A69", NOBODY),
        case("extension", "moz-extension://c0b8a9f25d1e4c3b9a7f1e2d3c4b5a69", NOBODY),
        case("extension", "moz-extension://{c0b8a9f2-5d1e-4c3b-9a7f-1e2d3c4b5a69}", NOBODY),
        case("extension", "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e", NOBODY),
        case("extension", "safari-web-extension://140Bb581-A2C0-422A-9DD3-6982A5ABEE5E", NOBODY),
        case("extension", "Safari-Web-Extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E", NOBODY),
        case("extension", "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5F", NOBODY),

        // What a check in code is asked, and what it grants: an origin naming a `tenant`, once
        // the value is a well-formed serialized origin (its panic and its `Err` grant nothing).
        case("control", "https://acme.tenant.example", TENANT),
        case("control", "http://acme.tenant.example:8080", TENANT),
        case("control", "https://tenant", TENANT),
        case("control", "capacitor://tenant", TENANT),
        case("origin_fn", "https://boom.tenant.example", NOBODY),
        case("origin_fn", "https://down.tenant.example", NOBODY),
        case("origin_fn", "https://acme.tenant.example/", NOBODY),
        case("origin_fn", "https://acme.tenant.example:443", NOBODY),
        case("origin_fn", "http://acme.tenant.example:80", NOBODY),
        case("origin_fn", "https://acme.tenant.example:", NOBODY),
        case("origin_fn", "https://acme.tenant.example:0443", NOBODY),
        case("origin_fn", "https://acme.tenant.example:65536", NOBODY),
        case("origin_fn", "https://ACME.tenant.example", NOBODY),
        case("origin_fn", "HTTPS://acme.tenant.example", NOBODY),
        case("origin_fn", "https://acme.tenant.example.", NOBODY),
        case("origin_fn", "https://acme..tenant.example", NOBODY),
        case("origin_fn", "https://-acme.tenant.example", NOBODY),
        case("origin_fn", "https://acme_x.tenant.example", NOBODY),
        case("origin_fn", "https://user@acme.tenant.example", NOBODY),
        case("origin_fn", "https://acme.tenant.example@evil.net", NOBODY),
        case("origin_fn", "https://acme.tenant.example ", NOBODY),
        case("origin_fn", "\thttps://acme.tenant.example", NOBODY),
        case("origin_fn", "https://acme.tenant.example?x=1", NOBODY),
        case("origin_fn", "https://acme.tenant.example#", NOBODY),
        case("origin_fn", "https://acme.tenant.example\\", NOBODY),
        case("origin_fn", "https://acme.tenant.example,https://evil.net", NOBODY),
        case("origin_fn", "https://acme.tenant.example, https://acme.tenant.example", NOBODY),
        case("origin_fn", "https://*.tenant.example", NOBODY),
        case("origin_fn", "https://tenant.example:*", NOBODY),
        case("origin_fn", "https://tenant.123", NOBODY),
        case("origin_fn", "https://[::tenant]", NOBODY),
        case("origin_fn", "https:acme.tenant.example", NOBODY),
        case("origin_fn", "//acme.tenant.example", NOBODY),
        case("origin_fn", "acme.tenant.example", NOBODY),
        case("origin_fn", "tenant", NOBODY),
        case("origin_fn", "null tenant", NOBODY),
        case("origin_fn", "file://tenant", NOBODY),
        case("origin_fn", "ws://tenant.example", NOBODY),
        case("origin_fn", "Tenant://localhost", NOBODY),
        case("origin_fn", "capacitor://tenant:1", NOBODY),
        case("origin_fn", "chrome-extension://tenant", NOBODY),
        case("origin_fn", "https://acme.tenant.ex\u{e4}mple", NOBODY),
        case("origin_fn", b"https://acme.tenant.example\xff", NOBODY),
        case("origin_fn", b"https://\xe9.tenant.example", NOBODY),
    ];
    let long_label = "a".repeat(64);
    let longest_label = "a".repeat(63);
    cases.extend([
        case("very long", format!("https://{}.myapp.com", "a".repeat(100_000)), NOBODY),
        case("very long", format!("https://myapp.com{}", "a".repeat(100_000)), NOBODY),
        case("very long", format!("https://myapp.com{}", "/".repeat(10_000)), NOBODY),
        case("very long", format!("https://myapp.com:{}", "1".repeat(10_000)), NOBODY),
        case("very long", format!("{}https://myapp.com", "x".repeat(10_000)), NOBODY),
        case("very long", format!("https://{long_label}.myapp.com"), NOBODY),
        case("very long", format!("https://a.{long_label}.myapp.com"), NOBODY),
        case("control", format!("https://{longest_label}.myapp.com"), SUBDOMAIN),
        case("control", format!("https://{}myapp.com", "a.".repeat(100)), SUBDOMAIN),
        // The label of `pr-*` is at most 63 characters.
        case("control", format!("https://pr-{}.preview.myapp.com", "a".repeat(60)), PREVIEW),
        case("very long", format!("https://pr-{}.preview.myapp.com", "a".repeat(61)), NOBODY),
        case("very long", format!("https://pr-{}.preview.myapp.com", "a".repeat(100_000)), NOBODY),
        case("control", format!("https://pr-1.{}preview.myapp.com", "a.".repeat(100)), SUBDOMAIN),
        case("very long", format!("http://localhost:{}", "9".repeat(10_000)), NOBODY),
        case("very long", format!("http://localhost:{}1", "0".repeat(10)), NOBODY),
        case("very long", format!("capacitor://{}localhost", "a.".repeat(10_000)), NOBODY),
        case("very long", format!("chrome-extension://{}", "a".repeat(10_000)), NOBODY),
        // A host is at most 253 characters, even where a check would say yes.
        case("control", format!("https://{}tenant.example", "a.".repeat(110)), TENANT),
        case("very long", format!("https://{}tenant.example", "a.".repeat(130)), NOBODY),
        case("very long", format!("https://{}.tenant.example", "a".repeat(64)), NOBODY),
    ]);
    cases
}

type Handler = Box<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Response<Body>>>>>;

/// An attribute-wrapped handler, whose error type is `Infallible`.
fn attribute<F, Fut>(handler: F) -> Handler
where
    F: Fn(Request) -> Fut + 'static,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + 'static,
{
    Box::new(move |request| {
        let response = handler(request);
        Box::pin(async move {
            match response.await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        })
    })
}

/// `behaviour` wrapped by `CorsConfig::handle`.
fn builder(config: Result<CorsConfig, cors_runtime::ConfigError>) -> Handler {
    let config = Arc::new(config.expect("a valid configuration"));
    Box::new(move |request| {
        let config = Arc::clone(&config);
        Box::pin(async move { config.handle(request, behaviour).await })
    })
}

/// Every configuration, by name: (name, kind, handler).
fn configurations() -> Vec<(&'static str, Kind, Handler)> {
    set_env();
    vec![
        ("literal (attribute)", Literal, attribute(literal)),
        (
            "literal (builder)",
            Literal,
            builder(
                CorsConfig::builder()
                    .allow_origin(ALLOWED)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("list (attribute)", List, attribute(list)),
        (
            "list (builder)",
            List,
            builder(
                CorsConfig::builder()
                    .allow_origins([ALLOWED, LOCAL])
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("wildcard (attribute)", Wildcard, attribute(wildcard)),
        (
            "wildcard (builder)",
            Wildcard,
            builder(
                CorsConfig::builder()
                    .allow_origin(WILDCARD)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("* (attribute)", Any, attribute(any)),
        (
            "* (builder)",
            Any,
            builder(CorsConfig::builder().allow_origin("*").build()),
        ),
        ("env list (attribute)", Env, attribute(env_list)),
        ("env single (attribute)", EnvSingle, attribute(env_single)),
        (
            "env list (builder)",
            Env,
            builder(
                CorsConfig::builder()
                    .allow_origins_from_env(ENV_BUILDER)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("env forms (attribute)", EnvForms, attribute(env_forms)),
        (
            "env forms (builder)",
            EnvForms,
            builder(
                CorsConfig::builder()
                    .allow_origins_from_env(ENV_FORMS_BUILDER)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("preview (attribute)", Preview, attribute(preview)),
        (
            "preview (builder)",
            Preview,
            builder(
                CorsConfig::builder()
                    .allow_origin(PREVIEW_WILDCARD)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("any port (attribute)", AnyPort, attribute(any_local_port)),
        (
            "any port (builder)",
            AnyPort,
            builder(
                CorsConfig::builder()
                    .allow_origin(ANY_LOCAL_PORT)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("loopback (attribute)", Loopback, attribute(loopback)),
        (
            "loopback (builder)",
            Loopback,
            builder(
                CorsConfig::builder()
                    .allow_origins(LOOPBACK_PORTS)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("apps (attribute)", Apps, attribute(apps)),
        (
            "apps (builder)",
            Apps,
            builder(
                CorsConfig::builder()
                    .allow_origins(APPS)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("origin_fn (attribute)", Checked, attribute(origin_fn_sync)),
        (
            "origin_fn (builder)",
            Checked,
            builder(
                CorsConfig::builder()
                    .allow_origin(ALLOWED)
                    .allow_origin_fn(|origin: &str| tenant_verdict(origin).unwrap_or(false))
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        (
            "origin_fn async (cors_config!)",
            Checked,
            attribute(origin_fn_async),
        ),
        (
            "origin_fn async (builder)",
            Checked,
            builder(
                CorsConfig::builder()
                    .allow_origin(ALLOWED)
                    .allow_origin_async_fn(|origin: String| async move {
                        tokio::task::yield_now().await;
                        tenant_verdict(&origin)
                    })
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        (
            "origin_fn alone async (attribute)",
            CheckOnly,
            attribute(origin_fn_alone),
        ),
        (
            "origin_fn alone (builder)",
            CheckOnly,
            builder(
                CorsConfig::builder()
                    .allow_origin_fn(|origin: &str| tenant_verdict(origin).unwrap_or(false))
                    .allow_credentials(true)
                    .build(),
            ),
        ),
    ]
}

/// The ways one origin is sent.
#[derive(Debug, Clone, Copy)]
enum Probe {
    Ok,
    Err,
    Panic,
    /// `OPTIONS` asking for `PUT` and `content-type` (both allowed by the defaults).
    Preflight,
    /// `OPTIONS` asking for `GET`, no request headers.
    SimplePreflight,
}

const PROBES: [Probe; 5] = [
    Probe::Ok,
    Probe::Err,
    Probe::Panic,
    Probe::Preflight,
    Probe::SimplePreflight,
];

fn request(probe: Probe, origins: &[&[u8]]) -> Request {
    let (method, path) = match probe {
        Probe::Ok => (Method::GET, "/ok"),
        Probe::Err => (Method::POST, "/err"),
        Probe::Panic => (Method::GET, "/panic"),
        Probe::Preflight | Probe::SimplePreflight => (Method::OPTIONS, "/ok"),
    };
    let mut builder = HttpRequest::builder().method(method).uri(path);
    for origin in origins {
        let value = HeaderValue::from_bytes(origin).unwrap_or_else(|e| {
            panic!(
                "{:?} is no header value: {e}",
                String::from_utf8_lossy(origin)
            )
        });
        builder = builder.header("origin", value);
    }
    builder = match probe {
        Probe::Preflight => builder
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "content-type"),
        Probe::SimplePreflight => builder.header("access-control-request-method", "GET"),
        _ => builder,
    };
    builder.body(Body::Empty).expect("a valid request")
}

fn body(response: &Response<Body>) -> &[u8] {
    match response.body() {
        Body::Empty => b"",
        Body::Text(text) => text.as_bytes(),
        Body::Binary(bytes) => bytes,
        _ => unreachable!("no other body kind is built"),
    }
}

/// Checks one response. `grant` is what the request's origin may be granted: `Some(origin)`
/// when the configuration allows the request's single origin, `None` otherwise.
fn check(
    name: &str,
    kind: Kind,
    probe: Probe,
    grant: Option<&[u8]>,
    origins_sent: usize,
    response: &Response<Body>,
    what: &str,
) {
    let headers = response.headers();
    let context = format!("{name}, {probe:?}, {what}");
    // The `Err` probe is a `POST`: a write. Every configuration here but `*` has credentials, so
    // the cross-origin write guard (`csrf`, "block" by default) refuses it from an origin the
    // policy does not grant (no Fetch metadata is sent: any `Origin` but a granted one), before
    // the handler runs.
    if matches!(probe, Probe::Err) && kind != Any && grant.is_none() && origins_sent > 0 {
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{context}: a foreign write ran"
        );
        assert_eq!(body(response), br#"{"message":"Forbidden"}"#, "{context}");
        for name in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
        ] {
            assert!(
                headers.get(name).is_none(),
                "{context}: {name} on a refused write"
            );
        }
        return;
    }
    let acao: Vec<&[u8]> = headers
        .get_all("access-control-allow-origin")
        .iter()
        .map(HeaderValue::as_bytes)
        .collect();
    assert!(acao.len() <= 1, "{context}: several ACAO {acao:?}");
    let acao = acao.first().copied();
    let credentials = headers.get("access-control-allow-credentials");
    let preflight = matches!(probe, Probe::Preflight | Probe::SimplePreflight);

    // Who answered, with what.
    let expected_status = match (probe, kind, grant) {
        (Probe::Ok, ..) => StatusCode::OK,
        (Probe::Err | Probe::Panic, ..) => StatusCode::INTERNAL_SERVER_ERROR,
        // Every preflight is answered `204`, granted or not.
        _ => StatusCode::NO_CONTENT,
    };
    assert_eq!(response.status(), expected_status, "{context}");
    if preflight {
        assert_eq!(
            response.status(),
            StatusCode::NO_CONTENT,
            "{context}: a preflight reached the handler"
        );
        assert_eq!(
            body(response),
            b"",
            "{context}: a preflight answer has a body"
        );
    }

    // The grant.
    match kind {
        Any => {
            assert_eq!(acao, Some(&b"*"[..]), "{context}");
            assert!(credentials.is_none(), "{context}: `*` with credentials");
        }
        Literal if !preflight => {
            // The static ACAO: the configured origin, whatever the request's.
            assert_eq!(acao, Some(ALLOWED.as_bytes()), "{context}");
        }
        _ => assert_eq!(acao, grant, "{context}: wrong grant"),
    }
    if let Some(credentials) = credentials {
        assert_eq!(credentials, "true", "{context}");
        assert!(
            acao.is_some_and(|a| a != b"*"),
            "{context}: credentials without a named origin ({acao:?})"
        );
    } else if acao.is_some() && kind != Any {
        panic!("{context}: a grant without the configured credentials");
    }

    // Vary.
    let vary: Vec<&str> = headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().expect("a Vary we wrote is ASCII"))
        .collect();
    if kind.varies() || preflight {
        assert_eq!(vary.len(), 1, "{context}: Vary {vary:?}");
        assert!(
            vary[0]
                .split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("origin")),
            "{context}: Vary {vary:?} lacks Origin"
        );
    }
    if matches!(probe, Probe::Ok) {
        assert!(
            vary.iter().any(|v| v.contains("accept-encoding")),
            "{context}: the handler's Vary was lost: {vary:?}"
        );
    }

    // Nothing of the error's text.
    if matches!(probe, Probe::Err | Probe::Panic) {
        assert_eq!(
            body(response),
            br#"{"message":"Internal Server Error"}"#,
            "{context}"
        );
    }
}

/// Sends every case to the configurations whose name starts with `prefix`.
async fn run_cases(prefix: &str) {
    let configurations = configurations();
    let selected: Vec<_> = configurations
        .iter()
        .filter(|(name, ..)| name.starts_with(prefix))
        .collect();
    assert!(!selected.is_empty(), "no configuration named {prefix}");
    for (name, kind, handler) in selected {
        let mut granted = 0;
        let mut calls = 0;
        for case in cases() {
            let origin = case.origin.as_slice();
            let what = format!(
                "{}: {:?}",
                case.class,
                String::from_utf8_lossy(&origin[..origin.len().min(80)])
            );
            let grant = case.allowed_by.contains(kind).then_some(origin);
            // A check is asked once about a serialized origin its list does not allow.
            let listed = *kind == Checked && origin == ALLOWED.as_bytes();
            let askable = kind.checks() && !listed && serialized_origin(origin);
            if kind.checks() {
                let expected =
                    listed || (askable && tenant_grants(&String::from_utf8_lossy(origin)));
                assert_eq!(
                    grant.is_some(),
                    expected,
                    "{name}, {what}: the table and the check's reference disagree"
                );
            }
            if matches!(case.class, "null" | "non-ASCII" | "non-UTF-8") {
                assert!(!askable, "{what}: the reference would ask the check");
            }
            for probe in PROBES {
                asked();
                let response = handler(request(probe, &[origin])).await;
                let calls_now = asked();
                let expected: &[&[u8]] = if askable { &[origin] } else { &[] };
                assert_eq!(
                    calls_now.iter().map(String::as_bytes).collect::<Vec<_>>(),
                    expected,
                    "{name}, {probe:?}, {what}: what the check was asked"
                );
                calls += calls_now.len();
                check(name, *kind, probe, grant, 1, &response, &what);
            }
            granted += usize::from(grant.is_some());
        }
        if *kind != Any {
            assert!(granted > 0, "{name}: the controls granted nothing");
        }
        if kind.checks() {
            assert!(calls > 0, "{name}: the check was never asked");
        }
    }
}

#[tokio::test]
async fn a_single_literal_origin_is_never_granted_to_another() {
    run_cases("literal").await;
}

#[tokio::test]
async fn a_list_grants_exactly_its_members() {
    run_cases("list").await;
}

#[tokio::test]
async fn a_wildcard_grants_exactly_its_subdomains() {
    run_cases("wildcard").await;
}

#[tokio::test]
async fn star_grants_star_and_never_a_named_origin_or_credentials() {
    run_cases("*").await;
}

#[tokio::test]
async fn origins_from_the_environment_grant_exactly_their_members() {
    run_cases("env").await;
}

#[tokio::test]
async fn a_wildcard_inside_a_label_grants_exactly_what_its_star_may_stand_for() {
    run_cases("preview").await;
}

#[tokio::test]
async fn any_port_grants_exactly_the_ports_of_its_loopback_host() {
    run_cases("any port").await;
    run_cases("loopback").await;
}

#[tokio::test]
async fn apps_and_extensions_are_granted_exactly() {
    run_cases("apps").await;
}

#[tokio::test]
async fn a_check_in_code_is_asked_only_about_serialized_origins_and_fails_closed() {
    run_cases("origin_fn").await;
}

#[tokio::test]
async fn several_origin_headers_or_none_are_never_granted() {
    let evil: &[u8] = b"https://evil.net";
    let allowed: &[u8] = ALLOWED.as_bytes();
    let sub: &[u8] = b"https://a.myapp.com";
    let preview: &[u8] = b"https://pr-1.preview.myapp.com";
    let local: &[u8] = b"http://localhost:3000";
    let app: &[u8] = b"capacitor://localhost";
    let tenant: &[u8] = b"https://acme.tenant.example";
    let sets: [&[&[u8]]; 12] = [
        &[],
        &[allowed, allowed],
        &[allowed, evil],
        &[evil, allowed],
        &[sub, sub],
        &[allowed, sub, evil],
        &[preview, preview],
        &[local, local],
        &[local, b"http://localhost:3001"],
        &[app, app],
        &[tenant, tenant],
        &[allowed, tenant],
    ];
    for (name, kind, handler) in configurations() {
        for origins in sets {
            for probe in PROBES {
                asked();
                let response = handler(request(probe, origins)).await;
                let what = format!("Origin headers {origins:?}");
                assert_eq!(
                    asked(),
                    Vec::<String>::new(),
                    "{name}: {what} was put to the check"
                );
                if origins.is_empty() && matches!(probe, Probe::Preflight | Probe::SimplePreflight)
                {
                    // Without `Origin`, an OPTIONS request is no preflight: the handler answers.
                    assert_eq!(response.status(), StatusCode::OK, "{name}: {what}");
                    assert_eq!(body(&response), b"handled", "{name}: {what}");
                    let acao = response.headers().get("access-control-allow-origin");
                    match kind {
                        Any => assert_eq!(acao.unwrap(), "*"),
                        Literal => assert_eq!(acao.unwrap(), ALLOWED),
                        _ => assert_eq!(acao, None, "{name}: {what}"),
                    }
                    continue;
                }
                check(name, kind, probe, None, origins.len(), &response, &what);
            }
        }
    }
}

#[test]
fn star_with_credentials_cannot_be_built() {
    let error = CorsConfig::builder()
        .allow_origin("*")
        .allow_credentials(true)
        .build()
        .expect_err("`*` with credentials");
    assert!(
        error
            .problems()
            .iter()
            .any(|p| p.message().contains("credentials") && p.message().contains('*')),
        "{error}"
    );
    set_env();
    let error = CorsConfig::builder()
        .allow_origins_from_env(ENV_STAR)
        .allow_credentials(true)
        .build()
        .expect_err("`*` from the environment with credentials");
    assert!(error.to_string().contains("credentials"), "{error}");
}

#[tokio::test]
async fn star_from_the_environment_with_credentials_is_refused_at_cold_start() {
    set_env();
    for probe in PROBES {
        let response = env_star_with_credentials(request(probe, &[ALLOWED.as_bytes()]))
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{probe:?}"
        );
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
        assert!(
            response
                .headers()
                .get("access-control-allow-credentials")
                .is_none()
        );
        assert_eq!(body(&response), br#"{"message":"Internal Server Error"}"#);
    }
}

/// A handler that still sets CORS headers of its own (left over from hand-written CORS, or
/// copied from a tutorial).
async fn legacy_cors(_: Request) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .header("access-control-allow-origin", "https://evil.net")
        .header("access-control-allow-credentials", "true")
        .body("handled".into())?)
}

#[cors_handler(origin = "*")]
async fn any_with_legacy_cors(event: Request) -> Result<Response<Body>, Error> {
    legacy_cors(event).await
}

#[cors_handler(origin = ["https://myapp.com", "http://localhost:5173"])]
async fn list_with_legacy_cors(event: Request) -> Result<Response<Body>, Error> {
    legacy_cors(event).await
}

/// Regression (found by properties.rs): the configuration alone grants. A handler's own
/// `Access-Control-Allow-Origin` is replaced, and its `Access-Control-Allow-Credentials` must not
/// survive where the configuration does not allow credentials: with `*` that makes the
/// forbidden pair `*` + credentials, with a list it lets every allowed origin read credentialed
/// responses the configuration never allowed.
#[tokio::test]
async fn a_handlers_own_cors_headers_never_grant_more_than_the_configuration() {
    set_env();
    let configs: Vec<(&str, &str, Handler)> = vec![
        ("* (attribute)", "*", attribute(any_with_legacy_cors)),
        (
            "* (builder)",
            "*",
            legacy_builder(CorsConfig::builder().allow_origin("*").build()),
        ),
        (
            "list without credentials (attribute)",
            ALLOWED,
            attribute(list_with_legacy_cors),
        ),
        (
            "list without credentials (builder)",
            ALLOWED,
            legacy_builder(
                CorsConfig::builder()
                    .allow_origins([ALLOWED, LOCAL])
                    .build(),
            ),
        ),
        (
            "literal without credentials (builder)",
            ALLOWED,
            legacy_builder(CorsConfig::builder().allow_origin(ALLOWED).build()),
        ),
    ];
    for (name, acao, handler) in configs {
        let response = handler(request(Probe::Ok, &[ALLOWED.as_bytes()])).await;
        let headers = response.headers();
        assert_eq!(
            headers.get("access-control-allow-origin").unwrap(),
            acao,
            "{name}"
        );
        assert_eq!(
            headers.get("access-control-allow-credentials"),
            None,
            "{name}: the handler's `Access-Control-Allow-Credentials: true` survived next to \
             ACAO {acao:?}, although the configuration does not allow credentials"
        );
    }
}

fn legacy_builder(config: Result<CorsConfig, cors_runtime::ConfigError>) -> Handler {
    let config = Arc::new(config.expect("a valid configuration"));
    Box::new(move |request| {
        let config = Arc::clone(&config);
        Box::pin(async move { config.handle(request, legacy_cors).await })
    })
}

/// Regression (fuzz target `wrapper`, crash-b2e38f36c78756e4259bcc34f729f85dee5f0b44): `OPTIONS`
/// without `Origin` to a `*` configuration that passes preflights to the handler, whose response
/// carries `Access-Control-Allow-Credentials: https://myapp.com`. The response paired it with
/// `Access-Control-Allow-Origin: *`.
#[tokio::test]
async fn regression_fuzz_wrapper_star_keeps_the_handlers_credentials_header() {
    let config = CorsConfig::builder()
        .allow_origin("*")
        .allow_methods(["*"])
        .allow_headers(["*"])
        .answer_preflight(false)
        .build()
        .unwrap();
    let request = HttpRequest::builder()
        .method(Method::OPTIONS)
        .body(Body::Empty)
        .unwrap();
    let response = config
        .handle(request, |_| async {
            Ok::<_, Error>(
                Response::builder()
                    .header("access-control-allow-credentials", "https://myapp.com")
                    .body(Body::Empty)?,
            )
        })
        .await;
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        response.headers().get("access-control-allow-credentials"),
        None,
        "`*` next to the handler's Access-Control-Allow-Credentials"
    );
}

/// No refusal's hint ever points a stranger at one of our entries: every case of this suite that
/// the policy refuses is logged, and a hint appears only where the refused origin's host is an
/// allowed host but for `www.`, a trailing dot, letter case or another name of this machine (or is
/// the apex under a subdomain wildcard). The table of logged refusals is the process's and holds
/// 256, so each half of the cases runs in a process of its own (what it finds is printed).
#[test]
fn no_hint_points_a_stranger_at_an_allowed_entry() {
    const NAME: &str = "no_hint_points_a_stranger_at_an_allowed_entry";
    if !cors_tests::log_capture::is_rerun(NAME) {
        for half in ["0", "1"] {
            let stdout = cors_tests::log_capture::rerun_alone(NAME, &[("CORS_HINT_HALF", half)]);
            assert!(stdout.contains("with a hint"), "half {half}: {stdout}");
        }
        return;
    }
    let half: usize = std::env::var("CORS_HINT_HALF").unwrap().parse().unwrap();
    let policy = CorsConfig::builder()
        .allow_origins([
            ALLOWED,
            "http://localhost:5173",
            "https://*.myapp.com",
            "https://pr-*.preview.myapp.com",
        ])
        .build()
        .unwrap();
    let lines = cors_tests::log_capture::Capture::default();
    let mut refused: Vec<Vec<u8>> = cases()
        .into_iter()
        .filter(|case| case.class != "control" && HeaderValue::from_bytes(&case.origin).is_ok())
        .map(|case| case.origin)
        .enumerate()
        .filter(|(i, _)| i % 2 == half)
        .map(|(_, origin)| origin)
        .collect();
    // A class may repeat another's origin: each distinct one is logged once.
    refused.sort();
    refused.dedup();
    // What this policy grants is no refusal (a case may be another configuration's stranger).
    refused.retain(|origin| !std::str::from_utf8(origin).is_ok_and(|o| policy.lists_allow(o)));
    assert!(refused.len() < 256, "every refusal of the half is logged");
    lines.with(tracing::Level::INFO, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for origin in &refused {
            let request = HttpRequest::builder()
                .header("origin", HeaderValue::from_bytes(origin).unwrap())
                .body(Body::Empty)
                .unwrap();
            runtime.block_on(policy.handle(request, |_| async { Ok::<_, Error>("ok") }));
        }
    });
    let text = lines.text();
    let ours = |origin: &str| -> bool {
        let Some((_, authority)) = origin.split_once("://") else {
            return false;
        };
        let host = authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host);
        let host = host.to_ascii_lowercase();
        let host = host.trim_end_matches('.');
        let host = host.strip_prefix("www.").unwrap_or(host);
        host == "myapp.com"
            || host.ends_with(".myapp.com")
            || matches!(host, "localhost" | "127.0.0.1" | "[::1]")
    };
    let mut hinted = Vec::new();
    for line in text.lines().filter(|line| line.contains("hint=")) {
        let origin = line
            .split("origin=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a refusal names its origin");
        assert!(ours(origin), "a hint for a stranger: {line}");
        hinted.push(origin.to_owned());
    }
    let logged = text
        .lines()
        .filter(|l| l.contains("origin_not_allowed"))
        .count();
    assert_eq!(logged, refused.len(), "each refusal logged once");
    println!(
        "\n{} refused origins, {logged} refusals logged, {} with a hint: {hinted:?}",
        refused.len(),
        hinted.len()
    );
    assert!(
        !hinted.is_empty(),
        "the near misses of this suite get hints"
    );
}
