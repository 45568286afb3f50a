//! The cross-origin write guard (`csrf`): the whole decision table (method × `Sec-Fetch-Site` ×
//! `Origin` × policy form × mode) through every entry point — the attribute with its own keys,
//! `config = X`, the builder's `handle`, a streamed handler and `CorsLayer` on an axum `Router` —
//! counting the handler's runs: a refused write never reaches it.

use std::cell::Cell;

use axum::Router;
use axum::routing::any;
use cors_runtime::{CorsConfig, CorsLayer, Csrf, StreamBody, cors_config, cors_handler};
use http_body_util::BodyExt;
use lambda_http::http::{Method, Request as HttpRequest};
use lambda_http::{Body, Error, Request, Response};
use tower::ServiceExt;

thread_local! {
    /// The handlers' runs on this thread: each `#[tokio::test]` runs on a thread of its own.
    static RUNS: Cell<usize> = const { Cell::new(0) };
}

fn ran() -> usize {
    RUNS.with(|runs| runs.replace(0))
}

fn run() {
    RUNS.with(|runs| runs.set(runs.get() + 1));
}

// ---------------------------------------------------------------------------------------------
// The policies, in every form

/// A list with credentials: `csrf` defaults to `"block"`.
static LIST: CorsConfig = cors_config!(
    origin = ["https://myapp.com", "https://*.myapp.com"],
    credentials = true,
);

#[cors_handler(origin = ["https://myapp.com", "https://*.myapp.com"], credentials = true)]
async fn inline(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

#[cors_handler(config = LIST)]
async fn named(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

#[cors_handler(config = LIST, streaming)]
async fn streamed(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    run();
    Ok(Response::new(Body::from("written")))
}

/// A single literal origin (sent statically to reads), the guard asked for explicitly.
#[cors_handler(origin = "https://myapp.com", csrf = "block")]
async fn single(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

#[cors_handler(origin = ["https://myapp.com"], credentials = true, csrf = "report")]
async fn reporting(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

/// The exemption: a Sign in with Apple `form_post` callback accepts Apple's cross-site POST.
#[cors_handler(origin = ["https://myapp.com"], credentials = true, csrf = "off")]
async fn exempt(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

/// No credentials: the guard is off unless asked for.
#[cors_handler(origin = ["https://myapp.com"])]
async fn public(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

fn is_tenant(origin: &str) -> bool {
    origin == "https://tenant.example"
}

async fn is_tenant_async(origin: &str) -> Result<bool, Error> {
    Ok(origin == "https://tenant.example")
}

#[cors_handler(origin = ["https://myapp.com"], origin_fn = crate::is_tenant, credentials = true)]
async fn checked(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

#[cors_handler(origin = ["https://myapp.com"], origin_fn = async crate::is_tenant_async, credentials = true)]
async fn checked_async(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

static FROM_ENV: CorsConfig =
    cors_config!(origin_env = "CORS_TESTS_CSRF_ORIGINS", credentials = true);

#[cors_handler(config = FROM_ENV)]
async fn from_env(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

#[cors_handler(origin = "https://myapp.com", credentials = true, front_door = true)]
async fn front_door(event: Request) -> Result<String, Error> {
    let _ = event;
    run();
    Ok("written".into())
}

// ---------------------------------------------------------------------------------------------
// Requests

/// A request: `site` is `Sec-Fetch-Site`, `origins` each `Origin` header.
fn request(method: &str, site: Option<&str>, origins: &[&str], host: Option<&str>) -> Request {
    let mut builder = HttpRequest::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri("https://api.example.net/items");
    if let Some(site) = site {
        builder = builder.header("sec-fetch-site", site);
    }
    for origin in origins {
        builder = builder.header("origin", *origin);
    }
    if let Some(host) = host {
        builder = builder.header("host", host);
    }
    builder
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("amount=1000"))
        .unwrap()
}

/// A `POST` another site sent, from `origin`.
fn cross_site_post(origin: &str) -> Request {
    request("POST", Some("cross-site"), &[origin], None)
}

fn header<'r, B>(response: &'r Response<B>, name: &str) -> Option<&'r str> {
    let mut values = response.headers().get_all(name).iter();
    let first = values.next().map(|v| v.to_str().unwrap());
    assert!(values.next().is_none(), "{name} appears more than once");
    first
}

/// What a request gets: the handler ran (`true`) and answered, or the guard refused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Runs,
    Refused,
}

use Outcome::{Refused, Runs};

/// The decision table of a policy that grants `https://myapp.com` and `https://*.myapp.com`.
/// One row: the method, `Sec-Fetch-Site`, the `Origin` headers, `Host`, and what happens.
type Row = (
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    Option<&'static str>,
    Outcome,
);

const TABLE: &[Row] = &[
    // Safe methods are never refused.
    (
        "GET",
        Some("cross-site"),
        &["https://evil.example"],
        None,
        Runs,
    ),
    (
        "HEAD",
        Some("cross-site"),
        &["https://evil.example"],
        None,
        Runs,
    ),
    (
        "OPTIONS",
        Some("cross-site"),
        &["https://evil.example"],
        None,
        Runs,
    ),
    ("GET", Some("cross-site"), &[], None, Runs),
    // Fetch metadata says the request is the site's own, or the user's.
    (
        "POST",
        Some("same-origin"),
        &["https://evil.example"],
        None,
        Runs,
    ),
    ("POST", Some("none"), &[], None, Runs),
    // Another site: the policy decides by the one Origin.
    (
        "POST",
        Some("cross-site"),
        &["https://myapp.com"],
        None,
        Runs,
    ),
    (
        "POST",
        Some("same-site"),
        &["https://admin.myapp.com"],
        None,
        Runs,
    ),
    (
        "PUT",
        Some("cross-site"),
        &["https://a.b.myapp.com"],
        None,
        Runs,
    ),
    (
        "POST",
        Some("cross-site"),
        &["https://evil.example"],
        None,
        Refused,
    ),
    (
        "POST",
        Some("same-site"),
        &["https://myapp.com.evil.example"],
        None,
        Refused,
    ),
    (
        "PUT",
        Some("cross-site"),
        &["https://evil.example"],
        None,
        Refused,
    ),
    (
        "PATCH",
        Some("cross-site"),
        &["https://evil.example"],
        None,
        Refused,
    ),
    (
        "DELETE",
        Some("cross-site"),
        &["https://evil.example"],
        None,
        Refused,
    ),
    (
        "PROPFIND",
        Some("cross-site"),
        &["https://evil.example"],
        None,
        Refused,
    ),
    ("POST", Some("cross-site"), &[], None, Refused),
    ("POST", Some("cross-site"), &["null"], None, Refused),
    (
        "POST",
        Some("cross-site"),
        &["https://myapp.com", "https://myapp.com"],
        None,
        Refused,
    ),
    (
        "POST",
        Some("cross-site"),
        &["https://evil.example", "https://myapp.com"],
        None,
        Refused,
    ),
    // A value a later browser may send: the origin decides.
    (
        "POST",
        Some("same-galaxy"),
        &["https://evil.example"],
        None,
        Refused,
    ),
    (
        "POST",
        Some("same-galaxy"),
        &["https://myapp.com"],
        None,
        Runs,
    ),
    // No Fetch metadata: an older browser, or not a browser.
    ("POST", None, &[], None, Runs),
    ("POST", None, &["https://myapp.com"], None, Runs),
    ("POST", None, &["https://evil.example"], None, Refused),
    ("POST", None, &["null"], None, Refused),
    (
        "POST",
        None,
        &["https://api.example.net"],
        Some("api.example.net"),
        Runs,
    ),
    (
        "POST",
        None,
        &["https://api.example.net"],
        Some("api.example.net:443"),
        Runs,
    ),
    (
        "POST",
        None,
        &["http://api.example.net"],
        Some("api.example.net"),
        Runs,
    ),
    (
        "POST",
        None,
        &["https://evil.example"],
        Some("api.example.net"),
        Refused,
    ),
];

fn check_refused<B>(response: &Response<B>, what: &str) {
    assert_eq!(response.status(), 403, "{what}");
    assert_eq!(
        header(response, "access-control-allow-origin"),
        None,
        "{what}"
    );
    assert_eq!(
        header(response, "access-control-allow-credentials"),
        None,
        "{what}"
    );
    assert_eq!(
        header(response, "content-type"),
        Some("application/json"),
        "{what}"
    );
}

/// Runs the table through one entry point.
async fn table<F, Fut>(entry: &str, varies: bool, mut call: F)
where
    F: FnMut(Request) -> Fut,
    Fut: std::future::Future<Output = (u16, Option<String>, Option<String>, String)>,
{
    for (method, site, origins, host, outcome) in TABLE {
        let what = format!("{entry}: {method} site={site:?} origins={origins:?} host={host:?}");
        ran();
        let (status, allow_origin, vary, body) = call(request(method, *site, origins, *host)).await;
        match outcome {
            Runs => {
                assert_eq!(ran(), 1, "{what}: the handler runs");
                assert_ne!(status, 403, "{what}");
            }
            Refused => {
                assert_eq!(ran(), 0, "{what}: the handler never runs");
                assert_eq!(status, 403, "{what}");
                assert_eq!(allow_origin, None, "{what}: no grant");
                assert_eq!(body, r#"{"message":"Forbidden"}"#, "{what}");
            }
        }
        if varies {
            assert_eq!(
                vary.as_deref(),
                Some("Origin"),
                "{what}: Vary as on every response"
            );
        }
    }
}

async fn text(body: Body) -> String {
    match body {
        Body::Text(text) => text,
        Body::Binary(bytes) => String::from_utf8(bytes).unwrap(),
        _ => String::new(),
    }
}

fn parts<B>(response: &Response<B>) -> (u16, Option<String>, Option<String>) {
    (
        response.status().as_u16(),
        header(response, "access-control-allow-origin").map(str::to_owned),
        header(response, "vary").map(str::to_owned),
    )
}

#[tokio::test]
async fn the_attribute_refuses_every_foreign_write_and_nothing_else() {
    table("inline", true, |request| async {
        let response = inline(request).await.unwrap();
        let (status, origin, vary) = parts(&response);
        (status, origin, vary, text(response.into_body()).await)
    })
    .await;
    table("config =", true, |request| async {
        let response = named(request).await.unwrap();
        let (status, origin, vary) = parts(&response);
        (status, origin, vary, text(response.into_body()).await)
    })
    .await;
}

#[tokio::test]
async fn the_builder_and_streamed_handlers_refuse_the_same() {
    let built = CorsConfig::builder()
        .allow_origins(["https://myapp.com", "https://*.myapp.com"])
        .allow_credentials(true)
        .build()
        .unwrap();
    assert_eq!(built.csrf(), Csrf::Block);
    table("handle", true, |request| {
        let built = &built;
        async move {
            let response = built
                .handle(request, |_| async {
                    run();
                    Ok::<_, Error>("written")
                })
                .await;
            let (status, origin, vary) = parts(&response);
            (status, origin, vary, text(response.into_body()).await)
        }
    })
    .await;
    table("streaming", true, |request| async {
        let response: Response<StreamBody<Body>> = streamed(request).await.unwrap();
        let (status, origin, vary) = parts(&response);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            origin,
            vary,
            String::from_utf8(body.to_vec()).unwrap(),
        )
    })
    .await;
}

fn router(policy: &'static CorsConfig) -> Router {
    Router::new()
        .route(
            "/items",
            any(|| async {
                run();
                "written"
            }),
        )
        .layer(CorsLayer::new(policy))
}

async fn through_layer(
    policy: &'static CorsConfig,
    request: Request,
) -> (u16, Option<String>, Option<String>, String) {
    let (parts_, body) = request.into_parts();
    let body = match body {
        Body::Text(text) => axum::body::Body::from(text),
        _ => axum::body::Body::empty(),
    };
    let mut request = http::Request::from_parts(parts_, body);
    *request.uri_mut() = "/items".parse().unwrap();
    let response = router(policy).oneshot(request).await.unwrap();
    let (status, origin, vary) = parts(&response);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        origin,
        vary,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

#[tokio::test]
async fn the_layer_refuses_before_routing() {
    table("layer", true, |request| through_layer(&LIST, request)).await;
}

static LAYER_ASYNC: CorsConfig = cors_config!(
    origin = ["https://myapp.com", "https://*.myapp.com"],
    origin_fn = async crate::is_tenant_async,
    credentials = true,
);

#[tokio::test]
async fn the_layer_awaits_an_async_check_before_a_write_runs() {
    // The tenant is granted by the check: the write runs once the check has answered.
    let tenant = cross_site_post("https://tenant.example");
    let (status, origin, _, _) = through_layer(&LAYER_ASYNC, tenant).await;
    assert_eq!(
        (status, origin.as_deref()),
        (200, Some("https://tenant.example"))
    );
    assert_eq!(ran(), 1);
    // A stranger: the check says no, the route's future is dropped unpolled.
    let stranger = cross_site_post("https://stranger.example");
    let (status, origin, _, body) = through_layer(&LAYER_ASYNC, stranger).await;
    assert_eq!((status, origin), (403, None));
    assert_eq!(body, r#"{"message":"Forbidden"}"#);
    assert_eq!(ran(), 0, "the route never ran");
    // Reads are not held: a stranger's GET runs and is not granted.
    let read = request(
        "GET",
        Some("cross-site"),
        &["https://stranger.example"],
        None,
    );
    let (status, origin, _, _) = through_layer(&LAYER_ASYNC, read).await;
    assert_eq!((status, origin), (200, None));
    assert_eq!(ran(), 1);
    // The whole table: the lists decide where they can, the check where they cannot.
    table("layer, async check", true, |request| {
        through_layer(&LAYER_ASYNC, request)
    })
    .await;
}

#[tokio::test]
async fn every_form_of_origin_grants_writes_as_it_grants_reads() {
    // A single literal origin: compared exactly for writes (reads carry it statically).
    let mine = single(cross_site_post("https://myapp.com")).await.unwrap();
    assert_eq!(mine.status(), 200);
    assert_eq!(ran(), 1);
    let theirs = single(cross_site_post("https://evil.example"))
        .await
        .unwrap();
    check_refused(&theirs, "single, a stranger");
    assert_eq!(
        header(&theirs, "vary"),
        None,
        "a single origin never varies"
    );
    assert_eq!(ran(), 0);

    // A check in code, synchronous and async: its yes lets a write through, its no refuses it
    // before the handler.
    let tenant = || cross_site_post("https://tenant.example");
    let stranger = || cross_site_post("https://stranger.example");
    for asynchronous in [false, true] {
        let (yes, no) = match asynchronous {
            false => (checked(tenant()).await, checked(stranger()).await),
            true => (
                checked_async(tenant()).await,
                checked_async(stranger()).await,
            ),
        };
        let (yes, no) = (yes.unwrap(), no.unwrap());
        assert_eq!(yes.status(), 200, "async: {asynchronous}");
        assert_eq!(
            header(&yes, "access-control-allow-origin"),
            Some("https://tenant.example")
        );
        check_refused(&no, "a check's no");
        assert_eq!(
            ran(),
            1,
            "async: {asynchronous}: only the tenant's write ran"
        );
    }

    // From the environment.
    // SAFETY of the test: no other test reads this variable.
    unsafe {
        std::env::set_var(
            "CORS_TESTS_CSRF_ORIGINS",
            "https://myapp.com, https://*.myapp.com",
        )
    };
    table("origin_env", true, |request| async {
        let response = from_env(request).await.unwrap();
        let (status, origin, vary) = parts(&response);
        (status, origin, vary, text(response.into_body()).await)
    })
    .await;

    // The front door writes the headers, but no front door refuses writes: the function does.
    let refused = front_door(cross_site_post("https://evil.example"))
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(ran(), 0);
    let allowed = front_door(cross_site_post("https://myapp.com"))
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        None,
        "the front door's to write"
    );
    assert_eq!(ran(), 1);
}

#[tokio::test]
async fn report_runs_the_write_off_and_no_credentials_do_not_check() {
    let stranger = || cross_site_post("https://evil.example");
    let reported = reporting(stranger()).await.unwrap();
    assert_eq!(reported.status(), 200, "report: the handler runs");
    assert_eq!(
        header(&reported, "access-control-allow-origin"),
        None,
        "and grants nothing"
    );
    assert_eq!(ran(), 1);
    let exempted = exempt(stranger()).await.unwrap();
    assert_eq!(exempted.status(), 200);
    assert_eq!(ran(), 1);
    let public = public(stranger()).await.unwrap();
    assert_eq!(
        public.status(),
        200,
        "without credentials the guard is off by default"
    );
    assert_eq!(ran(), 1);
}

#[tokio::test]
async fn the_modes_and_defaults_as_the_policy_reports_them() {
    static OFF_BY_DEFAULT: CorsConfig = cors_config!(origin = ["https://myapp.com"]);
    static EXPLICIT: CorsConfig = cors_config!(origin = ["https://myapp.com"], csrf = "report");
    assert_eq!(LIST.csrf(), Csrf::Block);
    assert_eq!(OFF_BY_DEFAULT.csrf(), Csrf::Off);
    assert_eq!(EXPLICIT.csrf(), Csrf::Report);
    let off = CorsConfig::builder()
        .allow_origins(["https://myapp.com"])
        .allow_credentials(true)
        .csrf(Csrf::Off)
        .build()
        .unwrap();
    assert_eq!(off.csrf(), Csrf::Off);
    let star = CorsConfig::builder()
        .allow_origin("*")
        .csrf(Csrf::Block)
        .build()
        .unwrap_err();
    assert!(
        star.to_string().contains("it would refuse nothing"),
        "{star}"
    );
}

/// Apple's `form_post` callback: its own policy (`csrf = "off"`) on its own route, merged beside
/// the API's routes under theirs.
static APPLE_CALLBACK: CorsConfig = cors_config!(
    origin = ["https://myapp.com"],
    credentials = true,
    csrf = "off",
);

#[tokio::test]
async fn a_router_exempts_one_route_with_a_policy_of_its_own() {
    let api = Router::new()
        .route(
            "/items",
            any(|| async {
                run();
                "written"
            }),
        )
        .layer(CorsLayer::new(&LIST));
    let callback = Router::new()
        .route(
            "/auth/apple/callback",
            any(|| async {
                run();
                "signed in"
            }),
        )
        .layer(CorsLayer::new(&APPLE_CALLBACK));
    let app = api.merge(callback);
    let apple = |path: &str| {
        http::Request::builder()
            .method("POST")
            .uri(path)
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://appleid.apple.com")
            .body(axum::body::Body::from("code=abc&state=xyz"))
            .unwrap()
    };
    let signed_in = app
        .clone()
        .oneshot(apple("/auth/apple/callback"))
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    assert_eq!(ran(), 1, "the exempt route runs Apple's cross-site POST");
    let refused = app.oneshot(apple("/items")).await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(ran(), 0, "every other route still refuses it");
}
