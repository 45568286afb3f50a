//! One policy, every way of using it, the same answers: for each policy below, a handler with the
//! keys inline (`#[cors_handler(...)]`), a handler naming a `static` made by `cors_config!` with
//! the same keys (`#[cors_handler(config = ...)]`), `CorsConfig::handle` with the builder's policy
//! from the same text, and `CorsLayer` with the same `static` around the same handler as a tower
//! service answer every request of the conformance table identically: status, every header
//! (names, values, order of repeated ones) and body.

use cors_runtime::{CorsConfig, CorsLayer, cors_config, cors_handler};
use cors_tests::policy_text;
use http::{HeaderMap, Method};
use lambda_http::{Body, Error, Request, Response};
use tower::{Layer, ServiceExt};

/// The handler behind every variant: each path takes a different exit.
async fn app(event: Request) -> Result<Response<Body>, Error> {
    match event.uri().path() {
        "/fail" => Err("the store is down".into()),
        "/panic" => panic!("the handler panics"),
        "/meddle" => Ok(Response::builder()
            .header("access-control-allow-origin", "*")
            .header("access-control-allow-credentials", "true")
            .header("vary", "accept")
            .header("vary", "accept-language")
            .body(Body::Empty)?),
        "/early" => Ok(Response::builder()
            .status(404)
            .body(Body::from("no such item"))?),
        _ => Ok(Response::builder()
            .header("content-type", "text/plain")
            .header("vary", "accept-encoding")
            .body(Body::from("hello"))?),
    }
}

/// A policy three ways: `inline` and `shared` handlers, `TEXT` for the builder.
macro_rules! three_ways {
    ($name:ident: $($policy:tt)*) => {
        mod $name {
            use super::*;

            pub static POLICY: CorsConfig = cors_config!($($policy)*);
            pub const TEXT: &str = stringify!($($policy)*);

            #[cors_handler($($policy)*)]
            pub async fn inline(event: Request) -> Result<Response<Body>, Error> {
                super::app(event).await
            }

            #[cors_handler(config = POLICY)]
            pub async fn shared(event: Request) -> Result<Response<Body>, Error> {
                super::app(event).await
            }
        }
    };
}

three_ways!(single: origin = "https://myapp.com");
three_ways!(list: origin = ["https://myapp.com", "https://admin.myapp.com"], credentials = true,
    expose_headers = ["x-request-id"], max_age = 600);
three_ways!(list_of_one: origin = ["https://myapp.com"]);
three_ways!(wildcard: origin = ["https://myapp.com", "https://*.preview.myapp.com"],
    methods = ["GET", "PUT", "PURGE", "purge"], headers = ["Content-Type", "X-Api-Key"]);
three_ways!(any: origin = "*", methods = ["*"], headers = ["*"], expose_headers = ["*"]);
three_ways!(env: origin_env = "SHARED_POLICY_ORIGINS", credentials = true);
three_ways!(passing: origin = ["https://myapp.com"], preflight = false);

/// The variable `env` reads; set before any request (this binary's one test).
const ENV_VALUE: &str = "https://myapp.com,https://*.preview.myapp.com";

/// A request of the table: method, path and headers.
struct Case {
    name: &'static str,
    method: Method,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
}

const fn case(
    name: &'static str,
    method: Method,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
) -> Case {
    Case {
        name,
        method,
        path,
        headers,
    }
}

const ALLOWED: (&str, &str) = ("origin", "https://myapp.com");
const PREVIEW: (&str, &str) = ("origin", "https://pr-7.preview.myapp.com");
const STRANGER: (&str, &str) = ("origin", "https://evil.example");

/// Every kind of request: allowed, refused and absent origins; preflights that fit the policy
/// and that do not; every exit of the handler.
const TABLE: &[Case] = &[
    case("get, allowed", Method::GET, "/", &[ALLOWED]),
    case("get, wildcard", Method::GET, "/", &[PREVIEW]),
    case("get, stranger", Method::GET, "/", &[STRANGER]),
    case("get, no origin", Method::GET, "/", &[]),
    case("get, null", Method::GET, "/", &[("origin", "null")]),
    case("get, two origins", Method::GET, "/", &[ALLOWED, ALLOWED]),
    case(
        "get, case",
        Method::GET,
        "/",
        &[("origin", "https://MyApp.com")],
    ),
    case("err", Method::GET, "/fail", &[ALLOWED]),
    case("err, stranger", Method::GET, "/fail", &[STRANGER]),
    case("panic", Method::GET, "/panic", &[ALLOWED]),
    case("early return", Method::GET, "/early", &[ALLOWED]),
    case("handler's own headers", Method::GET, "/meddle", &[ALLOWED]),
    case(
        "handler's own headers, stranger",
        Method::GET,
        "/meddle",
        &[STRANGER],
    ),
    case(
        "preflight",
        Method::OPTIONS,
        "/",
        &[
            ALLOWED,
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type"),
        ],
    ),
    case(
        "preflight, wildcard",
        Method::OPTIONS,
        "/",
        &[PREVIEW, ("access-control-request-method", "purge")],
    ),
    case(
        "preflight, method not allowed",
        Method::OPTIONS,
        "/",
        &[ALLOWED, ("access-control-request-method", "PROPFIND")],
    ),
    case(
        "preflight, header not allowed",
        Method::OPTIONS,
        "/",
        &[
            ALLOWED,
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", "x-other, authorization"),
        ],
    ),
    case(
        "preflight, stranger",
        Method::OPTIONS,
        "/",
        &[STRANGER, ("access-control-request-method", "GET")],
    ),
    case("options without acrm", Method::OPTIONS, "/", &[ALLOWED]),
    case(
        "post",
        Method::POST,
        "/",
        &[ALLOWED, ("content-type", "application/json")],
    ),
];

fn request(case: &Case) -> Request {
    let mut builder = http::Request::builder()
        .method(case.method.clone())
        .uri(case.path);
    for (name, value) in case.headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::Empty).unwrap()
}

/// A response as comparable data: status, headers in order, body bytes.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn answer(response: Response<Body>) -> Answer {
    let headers: &HeaderMap = response.headers();
    let headers = headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    Answer {
        status: response.status().as_u16(),
        headers,
        body: response.body().as_ref().to_vec(),
    }
}

type Handler =
    fn(Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response<Body>> + Send>>;

macro_rules! handlers {
    ($name:ident) => {
        [
            (|r| Box::pin(async move { $name::inline(r).await.unwrap() }) as _) as Handler,
            (|r| Box::pin(async move { $name::shared(r).await.unwrap() }) as _) as Handler,
        ]
    };
}

#[tokio::test]
async fn every_way_of_using_a_policy_answers_the_same() {
    // SAFETY: nothing else in this test binary reads or writes the environment, and the variable
    // is set before the policy that names it is first used.
    unsafe { std::env::set_var("SHARED_POLICY_ORIGINS", ENV_VALUE) };
    quiet_expected_panics();

    let policies: [(&str, &'static CorsConfig, &str, [Handler; 2]); 7] = [
        ("single", &single::POLICY, single::TEXT, handlers!(single)),
        ("list", &list::POLICY, list::TEXT, handlers!(list)),
        (
            "list_of_one",
            &list_of_one::POLICY,
            list_of_one::TEXT,
            handlers!(list_of_one),
        ),
        (
            "wildcard",
            &wildcard::POLICY,
            wildcard::TEXT,
            handlers!(wildcard),
        ),
        ("any", &any::POLICY, any::TEXT, handlers!(any)),
        ("env", &env::POLICY, env::TEXT, handlers!(env)),
        (
            "passing",
            &passing::POLICY,
            passing::TEXT,
            handlers!(passing),
        ),
    ];
    let mut compared = 0;
    for (name, policy, text, [inline, shared]) in policies {
        let pairs = policy_text::pairs_of_text(text).expect("key = value pairs");
        let built = policy_text::builder(&pairs)
            .expect("expressible")
            .build()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in TABLE {
            let by_inline = answer(inline(request(case)).await);
            let by_shared = answer(shared(request(case)).await);
            let by_handle = answer(built.handle(request(case), app).await);
            let by_static = answer(policy.handle(request(case), app).await);
            let layered = CorsLayer::new(policy).layer(tower::service_fn(app));
            let by_layer = answer(layered.oneshot(request(case)).await.unwrap());
            assert_eq!(
                by_inline, by_shared,
                "{name}, {}: inline vs config = ...",
                case.name
            );
            assert_eq!(
                by_inline, by_handle,
                "{name}, {}: inline vs the builder",
                case.name
            );
            assert_eq!(
                by_inline, by_static,
                "{name}, {}: inline vs handle on the static",
                case.name
            );
            assert_eq!(
                by_inline, by_layer,
                "{name}, {}: inline vs CorsLayer",
                case.name
            );
            compared += 1;
        }
        assert_eq!(built.origins(), policy.origins(), "{name}");
    }
    assert_eq!(compared, 7 * TABLE.len());
}

/// The handler's deliberate panic is expected; every other panic (a failed assertion) is
/// reported as usual.
fn quiet_expected_panics() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info.payload().downcast_ref::<&str>() != Some(&"the handler panics") {
            default_hook(info);
        }
    }));
}

/// The table is not vacuous: the policies tell requests apart.
#[tokio::test]
async fn the_table_tells_policies_apart() {
    let get = |case: usize| request(&TABLE[case]);
    let allowed = answer(single::inline(get(0)).await.unwrap());
    assert_eq!(allowed.status, 200);
    assert!(allowed.headers.contains(&(
        "access-control-allow-origin".into(),
        "https://myapp.com".into()
    )));
    let stranger = answer(list::inline(get(2)).await.unwrap());
    assert!(
        !stranger
            .headers
            .iter()
            .any(|(n, _)| n.starts_with("access-control-allow"))
    );
    let preflight = answer(list::inline(get(13)).await.unwrap());
    assert_eq!(preflight.status, 204);
    let passed = answer(passing::inline(get(13)).await.unwrap());
    assert_eq!(passed.status, 200, "preflight = false: the handler answers");
    let failed = answer(wildcard::shared(get(7)).await.unwrap());
    assert_eq!(failed.status, 500);
    assert_eq!(failed.body, br#"{"message":"Internal Server Error"}"#);
}
