//! Every origin form a front end has, end to end: a wildcard inside a label (preview deploys),
//! any port on a loopback host (dev servers), apps' and extensions' origins, and a check in code
//! (`origin_fn`, synchronous and `async`) through the attribute, `cors_config!`, the builder and
//! the tower layer.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use cors_runtime::{CorsConfig, CorsLayer, cors_config, cors_handler};
use http::Method;
use lambda_http::{Body, Error, Request, Response};
use tower::{Layer, ServiceExt};

static FORMS: CorsConfig = cors_config!(
    origin = [
        "https://myapp.com",
        "https://pr-*.preview.myapp.com",
        "http://localhost:*",
        "http://[::1]:*",
        "capacitor://localhost",
        "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
        "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
    ],
    credentials = true,
);

#[cors_handler(config = FORMS)]
async fn forms(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("ok")
}

fn get(origins: &[&str]) -> Request {
    let mut builder = http::Request::builder().uri("/");
    for origin in origins {
        builder = builder.header("origin", *origin);
    }
    builder.body(Body::Empty).unwrap()
}

fn preflight(origin: &str) -> Request {
    http::Request::builder()
        .method(Method::OPTIONS)
        .header("origin", origin)
        .header("access-control-request-method", "PUT")
        .body(Body::Empty)
        .unwrap()
}

fn acao(response: &Response<Body>) -> Option<&str> {
    let values: Vec<_> = response
        .headers()
        .get_all("access-control-allow-origin")
        .iter()
        .collect();
    assert!(values.len() <= 1, "{values:?}");
    values.first().map(|v| v.to_str().unwrap())
}

fn vary(response: &Response<Body>) -> Vec<&str> {
    response
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

#[tokio::test]
async fn each_form_grants_exactly_what_it_names() {
    for origin in [
        "https://myapp.com",
        "https://pr-1.preview.myapp.com",
        "https://pr-feature-login.preview.myapp.com",
        "http://localhost:3000",
        "http://localhost:5173",
        "http://localhost:65535",
        "http://[::1]:8080",
        "capacitor://localhost",
        "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
        "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
    ] {
        let response = forms(get(&[origin])).await.unwrap();
        assert_eq!(acao(&response), Some(origin), "{origin}");
        assert_eq!(vary(&response), ["Origin"], "{origin}");
        assert_eq!(forms(preflight(origin)).await.unwrap().status(), 204);
    }
    for origin in [
        "https://pr-.preview.myapp.com",
        "https://pr-1.x.preview.myapp.com",
        "https://pr-1.preview.myapp.com.evil.com",
        "https://pr-A.preview.myapp.com",
        "http://pr-1.preview.myapp.com",
        "http://localhost",
        "http://localhost:0",
        "http://localhost:080",
        "http://localhost:65536",
        "http://localhost:3000.evil.com",
        "https://localhost:3000",
        "http://127.0.0.1:3000",
        "capacitor://localhost.evil",
        "CAPACITOR://localhost",
        "capacitor://localhost:1",
        "ionic://localhost",
        "chrome-extension://cciilamhchpmbdnniabclekddabkifh",
        "chrome-extension://CCIILAMHCHPMBDNNIABCLEKDDABKIFHB",
        "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e",
        "null",
    ] {
        let response = forms(get(&[origin])).await.unwrap();
        assert_eq!(acao(&response), None, "{origin}");
        let answer = forms(preflight(origin)).await.unwrap();
        assert_eq!(acao(&answer), None, "preflight {origin}");
    }
}

/// What the checks below were asked, in order.
static ASKED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static ASYNC_ASKED: AtomicUsize = AtomicUsize::new(0);

mod tenants {
    use super::*;

    /// Tenants' sites; `boom.tenant.example` panics, `down.tenant.example` fails.
    pub fn known(origin: &str) -> bool {
        ASKED.lock().unwrap().push(origin.to_owned());
        if origin == "https://boom.tenant.example" {
            panic!("the tenant table panics on purpose");
        }
        origin.ends_with(".tenant.example") && origin.starts_with("https://")
    }

    pub async fn lookup(origin: &str) -> Result<bool, std::io::Error> {
        ASYNC_ASKED.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        match origin {
            "https://down.tenant.example" => Err(std::io::Error::other("the table is unreachable")),
            "https://boom.tenant.example" => panic!("the async lookup panics on purpose"),
            _ => Ok(origin == "https://acme.tenant.example"),
        }
    }
}

#[cors_handler(origin = "https://myapp.com", origin_fn = tenants::known, credentials = true)]
async fn checked(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("ok")
}

static ASYNC_CHECKED: CorsConfig = cors_config!(
    origin = ["https://myapp.com"],
    origin_fn = async crate::tenants::lookup,
    credentials = true,
);

#[cors_handler(config = ASYNC_CHECKED)]
async fn async_checked(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("ok")
}

fn quiet_expected_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .copied()
                .unwrap_or_default();
            if !message.contains("on purpose") {
                default_hook(info);
            }
        }));
    });
}

#[tokio::test]
async fn a_synchronous_check_is_asked_only_about_well_formed_origins_the_list_refuses() {
    quiet_expected_panics();
    let asked = || std::mem::take(&mut *ASKED.lock().unwrap());
    asked();
    // The list first: no call.
    let listed = checked(get(&["https://myapp.com"])).await.unwrap();
    assert_eq!(acao(&listed), Some("https://myapp.com"));
    assert_eq!(
        vary(&listed),
        ["Origin"],
        "with a check, even one origin varies"
    );
    assert!(asked().is_empty());
    // Its `true` echoes that exact origin, with credentials.
    let tenant = checked(get(&["https://acme.tenant.example"]))
        .await
        .unwrap();
    assert_eq!(acao(&tenant), Some("https://acme.tenant.example"));
    assert_eq!(tenant.headers()["access-control-allow-credentials"], "true");
    assert_eq!(asked(), ["https://acme.tenant.example"]);
    // Its `false`, its panic: nothing.
    for origin in ["http://acme.tenant.example", "https://boom.tenant.example"] {
        assert_eq!(
            acao(&checked(get(&[origin])).await.unwrap()),
            None,
            "{origin}"
        );
        assert_eq!(asked(), [origin]);
    }
    // Never asked: `null`, two `Origin`s, non-ASCII, malformed origins, no origin.
    for origins in [
        &["null"][..],
        &["https://acme.tenant.example", "https://acme.tenant.example"],
        &["https://acme.tenant.example/"],
        &["https://ACME.tenant.example"],
        &["https://acme.tenant.example "],
        &[],
    ] {
        assert_eq!(
            acao(&checked(get(origins)).await.unwrap()),
            None,
            "{origins:?}"
        );
        assert!(asked().is_empty(), "{origins:?} was put to the check");
    }
    let mut non_ascii = get(&[]);
    non_ascii.headers_mut().insert(
        "origin",
        http::HeaderValue::from_bytes(b"https://\xe9.tenant.example").unwrap(),
    );
    assert_eq!(acao(&checked(non_ascii).await.unwrap()), None);
    assert!(asked().is_empty());
    // Preflights too.
    let answer = checked(preflight("https://acme.tenant.example"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 204);
    assert_eq!(acao(&answer), Some("https://acme.tenant.example"));
    assert_eq!(asked(), ["https://acme.tenant.example"]);
}

#[tokio::test]
async fn an_async_check_is_awaited_and_fails_closed() {
    quiet_expected_panics();
    let before = ASYNC_ASKED.load(Ordering::SeqCst);
    assert_eq!(
        acao(&async_checked(get(&["https://myapp.com"])).await.unwrap()),
        Some("https://myapp.com")
    );
    assert_eq!(ASYNC_ASKED.load(Ordering::SeqCst), before, "the list first");
    let granted = async_checked(get(&["https://acme.tenant.example"]))
        .await
        .unwrap();
    assert_eq!(acao(&granted), Some("https://acme.tenant.example"));
    for origin in [
        "https://other.tenant.example",
        "https://down.tenant.example",
        "https://boom.tenant.example",
    ] {
        let response = async_checked(get(&[origin])).await.unwrap();
        assert_eq!(
            response.status(),
            200,
            "{origin}: the handler still answers"
        );
        assert_eq!(acao(&response), None, "{origin}");
        let answer = async_checked(preflight(origin)).await.unwrap();
        assert_eq!(
            (answer.status().as_u16(), acao(&answer)),
            (204, None),
            "{origin}"
        );
    }
    let answer = async_checked(preflight("https://acme.tenant.example"))
        .await
        .unwrap();
    assert_eq!(acao(&answer), Some("https://acme.tenant.example"));
    assert_eq!(
        answer.headers()["access-control-allow-methods"],
        "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"
    );
}

async fn app(_: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from("app")))
}

#[tokio::test]
async fn the_builder_and_the_layer_ask_the_same_checks() {
    let sync = CorsConfig::builder()
        .allow_origin_fn(|origin| origin == "https://acme.tenant.example")
        .build()
        .unwrap();
    let granted = sync
        .handle(get(&["https://acme.tenant.example"]), app)
        .await;
    assert_eq!(acao(&granted), Some("https://acme.tenant.example"));
    assert_eq!(
        acao(&sync.handle(get(&["https://x.example"]), app).await),
        None
    );

    let asynchronous = CorsConfig::builder()
        .allow_origin_async_fn(|origin: String| async move {
            tokio::task::yield_now().await;
            Ok::<_, std::io::Error>(origin == "https://acme.tenant.example")
        })
        .build()
        .unwrap();
    let granted = asynchronous
        .handle(get(&["https://acme.tenant.example"]), app)
        .await;
    assert_eq!(acao(&granted), Some("https://acme.tenant.example"));
    assert!(
        asynchronous
            .grant(&get(&["https://acme.tenant.example"]))
            .await
            .is_granted()
    );
    assert!(
        !asynchronous
            .grant(&get(&["https://x.example"]))
            .await
            .is_granted()
    );
    let answer = asynchronous
        .preflight_response(&preflight("https://acme.tenant.example"))
        .await
        .unwrap();
    assert_eq!(acao(&answer), Some("https://acme.tenant.example"));

    // The layer: an actual request runs while the check is awaited; a preflight waits for it.
    for policy in [&ASYNC_CHECKED, &FORMS] {
        for (origin, expected) in [
            (
                "https://acme.tenant.example",
                policy.checks_origins_in_code(),
            ),
            ("https://myapp.com", true),
            ("https://other.tenant.example", false),
        ] {
            let layered = CorsLayer::new(policy).layer(tower::service_fn(app));
            let response = layered.oneshot(get(&[origin])).await.unwrap();
            assert_eq!(acao(&response).is_some(), expected, "{origin}");
            let layered = CorsLayer::new(policy).layer(tower::service_fn(app));
            let answer = layered.oneshot(preflight(origin)).await.unwrap();
            assert_eq!(
                (answer.status().as_u16(), acao(&answer).is_some()),
                (204, expected),
                "preflight {origin}"
            );
        }
    }
}
