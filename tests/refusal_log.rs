//! Refusals you can see: every reason and every near-miss hint in the log, once per distinct
//! refusal, bounded under a scan of thousands of origins, hostile bytes escaped, and nothing on the
//! happy path.
//!
//! The table of refusals already logged is the process's (an execution environment's), so every
//! test here uses origins of its own; the bound is checked in a process of its own.

use cors_runtime::{CorsConfig, cors_config, cors_handler};
use cors_tests::log_capture::{Capture, is_rerun, rerun_alone};
use lambda_http::http::{HeaderValue, Request as HttpRequest};
use lambda_http::{Body, Error, Request};

/// Runs `future` with a subscriber that keeps events at `INFO` and above (what production
/// keeps), and returns the log's lines.
fn logged<F: std::future::Future>(future: F) -> (F::Output, Vec<String>) {
    let capture = Capture::default();
    let output = capture.with(tracing::Level::INFO, || {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    });
    (output, capture.text().lines().map(str::to_owned).collect())
}

fn request(method: &str, headers: &[(&str, &[u8])]) -> Request {
    let mut builder = HttpRequest::builder().method(method).uri("/items");
    for (name, value) in headers {
        builder = builder.header(*name, HeaderValue::from_bytes(value).unwrap());
    }
    builder.body(Body::Empty).unwrap()
}

fn get(origin: &str) -> Request {
    request("GET", &[("origin", origin.as_bytes())])
}

fn preflight(origin: &str, method: &str, headers: &str) -> Request {
    request(
        "OPTIONS",
        &[
            ("origin", origin.as_bytes()),
            ("access-control-request-method", method.as_bytes()),
            ("access-control-request-headers", headers.as_bytes()),
        ],
    )
}

static LIST: CorsConfig = cors_config!(
    origin = [
        "https://myapp.com",
        "https://*.preview.myapp.com",
        "http://localhost:5173",
        "https://admin.myapp.com"
    ],
    credentials = true,
    methods = ["GET", "PUT"],
    headers = ["content-type"],
);

#[cors_handler(config = LIST)]
async fn listed(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("ok")
}

#[cors_handler(origin = "https://single.example")]
async fn single(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("ok")
}

fn tenant(origin: &str) -> bool {
    origin == "https://tenant.example"
}

#[cors_handler(origin = ["https://myapp.com"], origin_fn = crate::tenant)]
async fn checked(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("ok")
}

#[cors_handler(origin = ["https://myapp.com"], credentials = true, csrf = "report")]
async fn reporting(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("ok")
}

/// The one line about `origin`, which must exist.
fn line_about<'l>(lines: &'l [String], needle: &str) -> &'l str {
    let found: Vec<&String> = lines.iter().filter(|l| l.contains(needle)).collect();
    assert_eq!(found.len(), 1, "one line with {needle}: {lines:#?}");
    found[0]
}

#[test]
fn every_reason_is_logged_at_warn_with_stable_fields() {
    let (_, lines) = logged(async {
        listed(get("https://reason-a.example")).await.unwrap();
        single(get("https://reason-b.example")).await.unwrap();
        checked(get("https://reason-c.example")).await.unwrap();
        listed(preflight("https://reason-d.example", "PUT", "content-type"))
            .await
            .unwrap();
        listed(preflight(
            "https://myapp.com",
            "PROPFIND",
            "content-type, x-reason-e",
        ))
        .await
        .unwrap();
        let write = request(
            "POST",
            &[
                ("origin", b"https://reason-f.example"),
                ("sec-fetch-site", b"cross-site"),
            ],
        );
        assert_eq!(listed(write).await.unwrap().status(), 403);
        let write = request(
            "POST",
            &[
                ("origin", b"https://reason-g.example"),
                ("sec-fetch-site", b"cross-site"),
            ],
        );
        assert_eq!(reporting(write).await.unwrap().status(), 200);
    });
    let expect = [
        ("reason-a", "origin_not_allowed"),
        ("reason-b", "origin_not_allowed"),
        ("reason-c", "origin_fn_refused"),
        ("reason-d", "preflight_origin_not_allowed"),
        ("x-reason-e", "preflight_not_in_lists"),
        ("reason-f", "write_refused"),
        (
            "reason=\"write_would_be_refused\"",
            "write_would_be_refused",
        ),
    ];
    for (needle, reason) in expect {
        let line = line_about(&lines, needle);
        assert!(line.contains(" WARN "), "{line}");
        assert!(line.contains(&format!("reason=\"{reason}\"")), "{line}");
    }
    let preflight = line_about(&lines, "x-reason-e");
    assert!(preflight.contains("method=\"PROPFIND\""), "{preflight}");
    assert!(preflight.contains("headers=\"x-reason-e\""), "{preflight}");
    assert!(
        preflight.contains("origin=\"https://myapp.com\""),
        "{preflight}"
    );
    let write = line_about(&lines, "reason-f");
    for field in [
        "origin=\"https://reason-f.example\"",
        "method=\"POST\"",
        "sec_fetch_site=\"cross-site\"",
        "why=\"origin not allowed by the policy\"",
    ] {
        assert!(write.contains(field), "{field}: {write}");
    }
    // A reported write ran, and its response is refused to the page as any other's.
    let reported = line_about(&lines, "reason=\"write_would_be_refused\"");
    assert!(
        reported.contains("origin=\"https://reason-g.example\""),
        "{reported}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains("reason-g")).count(),
        2,
        "{lines:#?}"
    );
    assert_eq!(lines.len(), expect.len() + 1, "nothing else: {lines:#?}");
}

#[test]
fn near_misses_name_the_entry_they_miss() {
    let cases = [
        (
            "http://admin.myapp.com",
            "`https://admin.myapp.com` only in its scheme",
        ),
        (
            "https://www.myapp.com",
            "`https://myapp.com` only by `www.`",
        ),
        (
            "https://myapp.com:8443",
            "`https://myapp.com` only in its port",
        ),
        (
            "https://myapp.com.",
            "`https://myapp.com` only by a trailing dot",
        ),
        (
            "https://preview.myapp.com",
            "`https://*.preview.myapp.com` covers subdomains only",
        ),
        (
            "http://127.0.0.1:5173",
            "the allowed `http://localhost:5173` under another name",
        ),
        (
            "https://MYAPP.com",
            "`https://myapp.com` only in letter case",
        ),
        (
            "http://pr-1.preview.myapp.com",
            "`https://*.preview.myapp.com` only in its scheme",
        ),
    ];
    let (_, lines) = logged(async {
        for (origin, _) in cases {
            listed(get(origin)).await.unwrap();
        }
        listed(get("https://myapp.com.hint-none.example"))
            .await
            .unwrap();
    });
    for (origin, hint) in cases {
        let line = line_about(&lines, &format!("origin=\"{origin}\""));
        assert!(line.contains(hint), "{origin}: {line}");
    }
    let stranger = line_about(&lines, "hint-none");
    assert!(
        !stranger.contains("hint="),
        "a stranger gets no hint: {stranger}"
    );
}

#[test]
fn each_refusal_once_and_the_happy_path_silent() {
    let (_, lines) = logged(async {
        for _ in 0..3 {
            listed(get("https://once-a.example")).await.unwrap();
        }
        listed(get("https://once-b.example")).await.unwrap();
        // The happy path: an allowed origin, no Origin, a same-origin write, a granted write.
        listed(get("https://myapp.com")).await.unwrap();
        listed(get("https://pr-7.preview.myapp.com")).await.unwrap();
        listed(request("GET", &[])).await.unwrap();
        listed(request("POST", &[("sec-fetch-site", b"same-origin")]))
            .await
            .unwrap();
        let same_origin = request(
            "POST",
            &[
                ("origin", b"https://api.once.example"),
                ("host", b"api.once.example"),
            ],
        );
        assert_eq!(listed(same_origin).await.unwrap().status(), 200);
        let granted = request(
            "PUT",
            &[
                ("origin", b"https://myapp.com"),
                ("sec-fetch-site", b"same-site"),
            ],
        );
        assert_eq!(listed(granted).await.unwrap().status(), 200);
        listed(preflight("https://myapp.com", "PUT", "content-type"))
            .await
            .unwrap();
        single(get("https://single.example")).await.unwrap();
    });
    assert_eq!(
        lines.iter().filter(|l| l.contains("once-a")).count(),
        1,
        "{lines:#?}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains("once-b")).count(),
        1,
        "{lines:#?}"
    );
    assert_eq!(lines.len(), 2, "the happy path logs nothing: {lines:#?}");
}

#[test]
fn hostile_bytes_are_escaped() {
    let (_, lines) = logged(async {
        let hostile: &[u8] = b"https://escape.example\xff\"x=1\tend";
        listed(request("GET", &[("origin", hostile)]))
            .await
            .unwrap();
    });
    let line = line_about(&lines, "escape.example");
    // The field's value is the origin with every byte that is not printable ASCII written `\xNN`
    // (and `"`, `\`, tab escaped); the text formatter then quotes it as a string.
    let value = r#"https://escape.example\xff\"x=1\tend"#;
    assert!(line.contains(&format!("origin={value:?}")), "{line}");
    assert!(
        !line.contains('\t') && !line.contains('\u{fffd}'),
        "{line:?}"
    );
}

/// The bound, checked in a process of its own: the table of logged refusals is the process's.
#[test]
fn a_scan_of_thousands_of_origins_logs_a_bounded_number_of_lines() {
    const NAME: &str = "a_scan_of_thousands_of_origins_logs_a_bounded_number_of_lines";
    if is_rerun(NAME) {
        let (_, lines) = logged(async {
            for i in 0..5000 {
                listed(get(&format!("https://scan-{i}.example")))
                    .await
                    .unwrap();
            }
        });
        // On a line of its own: the harness prints the test's name before its output.
        println!();
        for line in lines {
            println!("LOG {line}");
        }
        return;
    }
    let stdout = rerun_alone(NAME, &[]);
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("LOG ")).collect();
    let one_by_one = lines
        .iter()
        .filter(|l| l.contains("origin_not_allowed"))
        .count();
    let summaries: Vec<&&str> = lines.iter().filter(|l| l.contains("log_full")).collect();
    assert_eq!(
        one_by_one, 256,
        "the first 256 distinct refusals, one by one"
    );
    assert_eq!(summaries.len(), 4, "{summaries:#?}");
    for (summary, unlogged) in summaries.iter().zip([1, 10, 100, 1000]) {
        assert!(
            summary.contains(&format!("unlogged={unlogged}")),
            "{summary}"
        );
    }
    assert_eq!(lines.len(), 260, "5000 distinct origins: 260 lines in all");
}

/// A preflight found within the lists is remembered (not checked again) on its thread: that
/// never hides the next one's shortfall.
#[test]
fn a_preflight_within_the_lists_never_hides_the_next_ones_shortfall() {
    let (_, lines) = logged(async {
        for _ in 0..2 {
            listed(preflight("https://myapp.com", "PUT", "content-type"))
                .await
                .unwrap();
            listed(preflight(
                "https://myapp.com",
                "PUT",
                "content-type, x-memo",
            ))
            .await
            .unwrap();
        }
        listed(preflight("https://myapp.com", "PATCH", "content-type"))
            .await
            .unwrap();
    });
    let shortfalls: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("preflight_not_in_lists"))
        .collect();
    assert_eq!(shortfalls.len(), 2, "{lines:#?}");
    assert!(shortfalls[0].contains("headers=\"x-memo\""), "{lines:#?}");
    assert!(shortfalls[1].contains("method=\"PATCH\""), "{lines:#?}");
}

async fn tenant_async(origin: &str) -> Result<bool, Error> {
    Ok(origin == "https://tenant.example")
}

#[cors_handler(origin = ["https://myapp.com"], origin_fn = async crate::tenant_async, credentials = true)]
async fn checked_async(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("ok")
}

/// A write refused once an `async` check has said no names its origin, as every refusal does.
#[test]
fn a_write_refused_after_an_async_check_names_its_origin() {
    let (response, lines) = logged(async {
        let write = request(
            "POST",
            &[
                ("origin", b"https://async-refused.example"),
                ("sec-fetch-site", b"cross-site"),
            ],
        );
        checked_async(write).await.unwrap()
    });
    assert_eq!(response.status(), 403);
    let write = line_about(&lines, "reason=\"write_refused\"");
    assert!(
        write.contains("origin=\"https://async-refused.example\""),
        "{write}"
    );
}
