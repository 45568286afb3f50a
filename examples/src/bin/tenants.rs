//! Tenants' sites allowed by a check in code: `origin_fn = async crate::allowed`, an `async`
//! lookup (here a table in `TENANT_ORIGINS`, standing for DynamoDB or AppConfig) behind a small
//! TTL cache, beside the static origin of the product's own site.
//!
//! ```sh
//! echo 'TENANT_ORIGINS=https://acme.example,https://globex.example' > tenants.env
//! cargo lambda watch --disable-cors --env-file tenants.env   # then:
//! curl -i -H 'Origin: https://acme.example' http://localhost:9000/lambda-url/tenants/hello
//! ```
//!
//! Cost per request: the static origin (`https://myapp.com`) is matched first and never reaches
//! the check. Any other well-formed origin asks it: one `Box` for the check's future, a lock and
//! a hash lookup in the cache while the entry is fresh (a few hundred nanoseconds), the lookup
//! itself (a network round trip to the table, milliseconds) once per origin and TTL per warm
//! instance. A failed lookup is not cached: the next request asks again, and nothing is granted
//! meanwhile.
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

/// How long a verdict is trusted.
const TTL: Duration = Duration::from_secs(60);

/// Origin → (allowed, when it was looked up), shared by the requests of one instance.
static CACHE: LazyLock<Mutex<HashMap<String, (bool, Instant)>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Whether `origin` is a tenant's site: the cache while fresh, the table otherwise.
async fn allowed(origin: &str) -> Result<bool, std::io::Error> {
    if let Some(&(verdict, at)) = CACHE.lock().expect("the cache").get(origin)
        && at.elapsed() < TTL
    {
        return Ok(verdict);
    }
    let verdict = lookup(origin).await?;
    CACHE
        .lock()
        .expect("the cache")
        .insert(origin.to_owned(), (verdict, Instant::now()));
    Ok(verdict)
}

/// The table: `TENANT_ORIGINS` (comma-separated) read on each lookup, with the latency of a real
/// one. An unset variable is a failed lookup (logged by the wrapper; nothing granted).
async fn lookup(origin: &str) -> Result<bool, std::io::Error> {
    tokio::time::sleep(Duration::from_millis(20)).await;
    let table = std::env::var("TENANT_ORIGINS")
        .map_err(|_| std::io::Error::other("the tenant table (TENANT_ORIGINS) is unreachable"))?;
    Ok(table.split(',').any(|tenant| tenant.trim() == origin))
}

#[cors_handler(origin = "https://myapp.com", origin_fn = async crate::allowed, credentials = true)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new("hello, tenant".into()))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run(service_fn(handler)).await
}
