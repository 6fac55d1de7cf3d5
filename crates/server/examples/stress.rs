//! The reliability suite (`./dev stress`): runs the built `workspace-server` binary as a child process and prints
//! figures for what it must withstand.
//!
//! 1. N creates at concurrency C: latency percentiles and the error count (must be 0); then ListWorkspaces with
//!    maxResults=1 over the stored workspaces.
//! 2. Generated bodies (valid, mutated, random): every answer is 200 or a 4xx with a `Code`; the server never
//!    panics or drops a connection.
//! 3. K slow clients (half-sent heads, bodies that never finish) held open while normal requests are timed; then
//!    each slow client is cut off by the server.
//! 4. The gateway against upstream faults: refused, reset mid-answer, a stall past its timeout, a 10 MB body, an
//!    HTML 500. Each is a 502 or 504 with a `Code`, and no answer shows the secret, the upstream's address or what
//!    it sent.
//!
//! An example rather than a test: it prints figures, takes size knobs, and runs the release binary (what ships), not
//! a test build. `--quick` is the short run `./dev test` makes.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use clap::Parser;
use process::{Process, free_port};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// The server as a child process, waited for: the same code as the server's tests.
#[path = "../tests/server/process.rs"]
mod process;

const CREATE: &str = "/api/v1/workspaces?regionId=cn-hangzhou";
/// Must never appear in any answer.
const SECRET: &str = "STRESS-SECRET-never-shown-4e1b";
const KEY_ID: &str = "LTAI5tStressTestKey";
/// In the fake upstream's HTML error page; must never reach a client.
const HTML_MARKER: &str = "internal-lb-9.corp.example 10.9.8.7";

#[derive(Parser, Debug)]
#[command(about = "Reliability figures for workspace-server")]
struct Args {
    /// The short run for CI: fewer requests, short server timeouts
    #[arg(long)]
    quick: bool,
    /// The workspace-server binary [default: next to this example's directory]
    #[arg(long)]
    server: Option<PathBuf>,
    /// Creates in phase 1 [default: 20000, quick 2000]
    #[arg(long)]
    creates: Option<usize>,
    /// Concurrency of phases 1 and 2 [default: 64, quick 32]
    #[arg(long)]
    concurrency: Option<usize>,
    /// Generated bodies in phase 2 [default: 100000, quick 10000]
    #[arg(long)]
    bodies: Option<usize>,
    /// Slow clients in phase 3, half with slow heads and half with slow bodies [default: 400, quick 100]
    #[arg(long)]
    slow: Option<usize>,
    /// Seed of the generated bodies
    #[arg(long, default_value_t = 9)]
    seed: u64,
}

struct Settings {
    creates: usize,
    concurrency: usize,
    bodies: usize,
    slow: usize,
    seed: u64,
    /// The server's --header-timeout and --body-timeout.
    client_timeout: Duration,
    /// The gateway's --timeout, and how long the stalling upstream stalls (past it).
    upstream_timeout: Duration,
    stall: Duration,
}

fn settings(args: &Args) -> Settings {
    let pick = |given: Option<usize>, full: usize, quick: usize| {
        given.unwrap_or(if args.quick { quick } else { full })
    };
    Settings {
        creates: pick(args.creates, 20_000, 2_000),
        concurrency: pick(args.concurrency, 64, 32),
        bodies: pick(args.bodies, 100_000, 10_000),
        slow: pick(args.slow, 400, 100),
        seed: args.seed,
        client_timeout: Duration::from_secs(if args.quick { 2 } else { 10 }),
        upstream_timeout: Duration::from_secs(if args.quick { 3 } else { 30 }),
        stall: Duration::from_secs(if args.quick { 5 } else { 35 }),
    }
}

/// What went wrong, collected rather than panicking so that every phase prints its figures.
#[derive(Default, Clone)]
struct Failures(Arc<Mutex<Vec<String>>>);

impl Failures {
    fn add(&self, what: impl Into<String>) {
        let mut all = self.0.lock().unwrap();
        if all.len() < 50 {
            all.push(what.into());
        }
    }

    fn check(&self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.add(what());
        }
    }

    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

fn client(concurrency: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

/// Percentile of sorted durations, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// The smallest valid body, the one the server's tests send too.
fn minimal() -> Value {
    serde_json::from_str(include_str!("../tests/data/minimal.json")).expect("minimal.json is JSON")
}

/// Runs `total` jobs on `concurrency` workers; `job(i)` gives the i-th job's outcome.
async fn run_pool<F, Fut>(total: usize, concurrency: usize, job: F)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let job = Arc::new(job);
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, job) = (next.clone(), job.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    job(i).await;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
}

// --- 1. Creates at concurrency ------------------------------------------------------------------------------

async fn creates(server: &Process, s: &Settings, failures: &Failures) {
    println!(
        "\n1. {} creates at concurrency {} (emulator)",
        s.creates, s.concurrency
    );
    let http = client(s.concurrency);
    let base = server.base();
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(s.creates)));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    {
        let (latencies, errors, failures) = (latencies.clone(), errors.clone(), failures.clone());
        let base = base.clone();
        run_pool(s.creates, s.concurrency, move |i| {
            let (http, base, latencies, errors, failures) = (
                http.clone(),
                base.clone(),
                latencies.clone(),
                errors.clone(),
                failures.clone(),
            );
            async move {
                let mut body = minimal();
                body["workspaceName"] = format!("stress-{i}").into();
                body["clientToken"] = format!("stress-token-{i}").into();
                let sent = Instant::now();
                let result = http
                    .post(format!("{base}{CREATE}"))
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .send()
                    .await;
                let took = sent.elapsed();
                match result {
                    Ok(r) if r.status() == 200 => latencies.lock().unwrap().push(took),
                    Ok(r) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        let status = r.status();
                        let text = r.text().await.unwrap_or_default();
                        failures.add(format!("create {i}: {status} {text}"));
                    }
                    Err(e) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        failures.add(format!("create {i}: {e}"));
                    }
                }
            }
        })
        .await;
    }
    let elapsed = started.elapsed();
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort();
    println!(
        "   ok {}  errors {}  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  {:.0} creates/s",
        latencies.len(),
        errors.load(Ordering::Relaxed),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
        s.creates as f64 / elapsed.as_secs_f64()
    );

    // Paging happens before copying: one workspace out of everything stored costs about what an empty list does.
    // Alternating, so warm-up and any other load fall on both alike.
    let http = client(1);
    let mut timings = vec![
        ("cn-hangzhou", 1, 0, Vec::new()),
        ("cn-beijing", 0, 0, Vec::new()),
    ];
    for _ in 0..200 {
        for (region, want, total, took) in &mut timings {
            let sent = Instant::now();
            let reply = http
                .get(format!(
                    "{base}/api/v1/workspaces?regionId={region}&maxResults=1"
                ))
                .send()
                .await;
            let json: Value = match reply {
                Ok(r) if r.status() == 200 => {
                    serde_json::from_slice(&r.bytes().await.unwrap_or_default())
                        .unwrap_or(Value::Null)
                }
                other => {
                    failures.add(format!("list: {other:?}"));
                    Value::Null
                }
            };
            took.push(sent.elapsed());
            *total = json["totalCount"].as_u64().unwrap_or_default();
            failures.check(
                json["workspaces"].as_array().map(Vec::len) == Some(*want),
                || format!("list maxResults=1 in {region} gave {json}"),
            );
        }
    }
    for (region, _, total, mut took) in timings {
        took.sort();
        println!(
            "   ListWorkspaces maxResults=1 in {region} ({total} workspaces): p50 {:.2} ms  p99 {:.2} ms",
            percentile(&took, 0.5),
            percentile(&took, 0.99)
        );
    }
    failures.check(errors.load(Ordering::Relaxed) == 0, || {
        "creates had unexpected errors".into()
    });
}

// --- 2. Generated bodies --------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Valid,
    Mutated,
    Random,
}

fn random_string(rng: &mut fastrand::Rng, max: usize) -> String {
    let len = rng.usize(0..=max);
    (0..len)
        .map(|_| match rng.u8(0..10) {
            0 => rng.char('\u{80}'..='\u{10FFFF}'),
            1 => rng
                .choice([' ', '\t', '\n', '"', '\\', '/', '%', '\0', '\u{202e}'])
                .unwrap(),
            2..=4 => rng.alphanumeric(),
            _ => rng.lowercase(),
        })
        .collect()
}

fn random_value(rng: &mut fastrand::Rng, depth: usize) -> Value {
    match rng.u8(0..if depth > 3 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!(rng.f64() * 1e12 - 5e11),
        4 | 5 => Value::String(random_string(rng, 80)),
        6 => Value::Array(
            (0..rng.usize(0..6))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.usize(0..6))
                .map(|_| (random_string(rng, 12), random_value(rng, depth + 1)))
                .collect(),
        ),
    }
}

const KEYS: [&str; 22] = [
    "workspaceName",
    "resourceSpec",
    "ossBucket",
    "paymentType",
    "ramRoleName",
    "duration",
    "paymentDurationUnit",
    "autoRenew",
    "autoRenewPeriod",
    "autoRenewPeriodUnit",
    "releaseType",
    "dlfType",
    "dlfCatalogId",
    "resourceGroupId",
    "gpuSpec",
    "tag",
    "clientToken",
    "description",
    "networkType",
    "vpcId",
    "vSwitchIds",
    "zone",
];

/// A body the model should accept: the minimal one, a subscription, tags and GPUs, with varied values.
fn valid_body(rng: &mut fastrand::Rng, i: usize) -> Value {
    let mut body = minimal();
    body["workspaceName"] = format!("fz{}_{}", i, rng.alphanumeric()).into();
    body["resourceSpec"] = json!({"cu": rng.choice(["8", "16", "32", "64", "200"]).unwrap()});
    if rng.bool() {
        for (k, v) in [
            ("paymentType", "Pre"),
            ("duration", "3"),
            ("paymentDurationUnit", "MONTH"),
            ("autoRenew", "true"),
            ("autoRenewPeriod", "12"),
            ("autoRenewPeriodUnit", "MONTH"),
        ] {
            body[k] = json!(v);
        }
    }
    if rng.bool() {
        let tags: Vec<Value> = (0..rng.usize(1..10))
            .map(|t| json!({"key": format!("k{t}"), "value": format!("v{}", rng.u16(..))}))
            .collect();
        body["tag"] = Value::Array(tags);
    }
    if rng.u8(0..4) == 0 {
        body["dlfType"] = json!("dlf2.0");
    }
    if rng.bool() {
        body["clientToken"] = format!("fuzz-{i}").into();
    }
    body
}

/// A valid body with one to three things wrong with it, as JSON or as bytes.
fn mutated_body(rng: &mut fastrand::Rng, i: usize) -> Vec<u8> {
    let mut body = valid_body(rng, i);
    for _ in 0..rng.usize(1..=3) {
        let key = *rng.choice(KEYS.iter()).unwrap();
        match rng.u8(0..9) {
            0 => {
                body.as_object_mut().unwrap().remove(key);
            }
            1 => body[key] = random_value(rng, 0),
            2 => body[key] = Value::String(random_string(rng, 300)),
            3 => {
                body[key] = json!(
                    rng.choice(["", " ", "0", "-1", "1e999", "NaN", "true", "null"])
                        .unwrap()
                )
            }
            4 => {
                // Many tags, repeated keys among them: the duplicate checks see the worst case.
                let tags: Vec<Value> = (0..rng.usize(50..600))
                    .map(|t| json!({"key": format!("k{}", t % 97), "value": "v"}))
                    .collect();
                body["tag"] = Value::Array(tags);
            }
            5 => {
                let gpus: Vec<Value> = (0..rng.usize(10..400))
                    .map(|g| json!(format!("ecs.gn7i-c8g1.{}xlarge", g % 13)))
                    .collect();
                body["gpuSpec"] = Value::Array(gpus);
                body["resourceSpec"] = json!({"cu": "16", "gpu": rng.i64(-3..50)});
            }
            6 => body["resourceSpec"] = json!({"cu": random_value(rng, 2)}),
            7 => body[random_string(rng, 20)] = random_value(rng, 0),
            _ => body["paymentType"] = json!(rng.choice(["Pre", "PayAsYouGo", "pre", ""]).unwrap()),
        }
    }
    let mut bytes = body.to_string().into_bytes();
    match rng.u8(0..8) {
        0 if !bytes.is_empty() => bytes.truncate(rng.usize(0..bytes.len())),
        1 if !bytes.is_empty() => {
            let at = rng.usize(0..bytes.len());
            bytes[at] = rng.u8(..);
        }
        2 => {
            // A key given twice in the text (serde keeps the last).
            let text = String::from_utf8_lossy(&bytes).into_owned();
            bytes = text
                .replacen('{', "{\"workspaceName\":\"first\",", 1)
                .into_bytes();
        }
        3 => {
            let depth = rng.usize(100..3000);
            bytes = format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes();
        }
        _ => {}
    }
    bytes
}

fn random_body(rng: &mut fastrand::Rng) -> Vec<u8> {
    match rng.u8(0..3) {
        0 => (0..rng.usize(0..2000)).map(|_| rng.u8(..)).collect(),
        1 => random_value(rng, 0).to_string().into_bytes(),
        _ => random_string(rng, 500).into_bytes(),
    }
}

async fn bodies(server: &mut Process, s: &Settings, failures: &Failures) {
    println!(
        "\n2. {} generated bodies at concurrency {} (emulator): a third each valid, mutated, random",
        s.bodies, s.concurrency
    );
    let http = client(s.concurrency);
    let base = server.base();
    let outcomes: Arc<Mutex<BTreeMap<(Kind, String), usize>>> = Arc::default();
    let started = Instant::now();
    let seed = s.seed;
    {
        let (outcomes, failures) = (outcomes.clone(), failures.clone());
        run_pool(s.bodies, s.concurrency, move |i| {
            let (http, base, outcomes, failures) = (
                http.clone(),
                base.clone(),
                outcomes.clone(),
                failures.clone(),
            );
            async move {
                let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(1_000_003) ^ i as u64);
                let (kind, body) = match i % 3 {
                    0 => (
                        Kind::Valid,
                        valid_body(&mut rng, i).to_string().into_bytes(),
                    ),
                    1 => (Kind::Mutated, mutated_body(&mut rng, i)),
                    _ => (Kind::Random, random_body(&mut rng)),
                };
                let outcome = match http
                    .post(format!("{base}{CREATE}"))
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                {
                    Err(e) => {
                        failures.add(format!("body {i} ({kind:?}): no answer: {e}"));
                        "no answer".to_owned()
                    }
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let json: Value =
                            serde_json::from_slice(&r.bytes().await.unwrap_or_default())
                                .unwrap_or(Value::Null);
                        let code = json["Code"].as_str().unwrap_or_default().to_owned();
                        let fine =
                            status == 200 || ((400..500).contains(&status) && !code.is_empty());
                        if !fine {
                            failures.add(format!(
                                "body {i} ({kind:?}): {status} {json} for {}",
                                String::from_utf8_lossy(&body[..body.len().min(300)])
                            ));
                        }
                        if status == 200 {
                            "200".to_owned()
                        } else {
                            format!("{status} {}", code.split('.').next().unwrap_or_default())
                        }
                    }
                };
                *outcomes.lock().unwrap().entry((kind, outcome)).or_default() += 1;
            }
        })
        .await;
    }
    let elapsed = started.elapsed();
    let outcomes = outcomes.lock().unwrap().clone();
    for kind in [Kind::Valid, Kind::Mutated, Kind::Random] {
        let mut line: Vec<(usize, &str)> = outcomes
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|((_, outcome), n)| (*n, outcome.as_str()))
            .collect();
        line.sort_by_key(|entry| std::cmp::Reverse(entry.0));
        let shown: Vec<String> = line
            .iter()
            .take(6)
            .map(|(n, outcome)| format!("{outcome}: {n}"))
            .collect();
        println!("   {kind:?}: {}", shown.join(", "));
    }
    let alive = server.alive();
    println!(
        "   {:.0} bodies/s; server running afterwards: {alive}",
        s.bodies as f64 / elapsed.as_secs_f64()
    );
    failures.check(alive, || {
        "the server died during the generated bodies".into()
    });
}

// --- 3. Slow clients ----------------------------------------------------------------------------------------

async fn time_normal_creates(base: &str, n: usize) -> Vec<Duration> {
    let http = client(1);
    let mut took = Vec::new();
    for i in 0..n {
        let mut body = minimal();
        body["workspaceName"] = format!("normal-{i}").into();
        let sent = Instant::now();
        let ok = http
            .post(format!("{base}{CREATE}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .is_ok_and(|r| r.status() == 200);
        if ok {
            took.push(sent.elapsed());
        }
    }
    took.sort();
    took
}

async fn slow_clients(server: &Process, s: &Settings, failures: &Failures) {
    println!(
        "\n3. {} slow clients ({} with half a head, {} with a body that never finishes) held open",
        s.slow,
        s.slow / 2,
        s.slow - s.slow / 2
    );
    let base = server.base();
    let addr = server.addr;
    let before = time_normal_creates(&base, 50).await;
    let mut held = Vec::new();
    for i in 0..s.slow {
        let Ok(mut stream) = TcpStream::connect(addr).await else {
            failures.add(format!("slow client {i} could not connect"));
            continue;
        };
        let head = if i % 2 == 0 {
            format!("POST {CREATE} HTTP/1.1\r\nHost: {addr}\r\n")
        } else {
            format!(
                "POST {CREATE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
                 Content-Length: 60000\r\n\r\n{{"
            )
        };
        if stream.write_all(head.as_bytes()).await.is_ok() {
            held.push((i % 2 == 1, Instant::now(), stream));
        }
    }
    let during = time_normal_creates(&base, 50).await;
    println!(
        "   normal create before: p50 {:.2} ms  p99 {:.2} ms ({} ok)",
        percentile(&before, 0.5),
        percentile(&before, 0.99),
        before.len()
    );
    println!(
        "   normal create during: p50 {:.2} ms  p99 {:.2} ms ({} ok)",
        percentile(&during, 0.5),
        percentile(&during, 0.99),
        during.len()
    );
    failures.check(during.len() == 50, || {
        format!(
            "{} of 50 normal creates failed while slow clients were held",
            50 - during.len()
        )
    });
    let usual = percentile(&before, 0.99).max(5.0);
    failures.check(percentile(&during, 0.5) < 5.0 * usual, || {
        "slow clients made normal requests slow".into()
    });

    // Then the server cuts each one off: a slow body with 408 RequestTimeout, a slow head by closing.
    let deadline = s.client_timeout + Duration::from_secs(5);
    let tasks: Vec<_> = held
        .into_iter()
        .map(|(is_body, since, mut stream)| {
            tokio::spawn(async move {
                let mut answer = Vec::new();
                let closed = tokio::time::timeout(deadline, stream.read_to_end(&mut answer))
                    .await
                    .is_ok();
                let text = String::from_utf8_lossy(&answer).into_owned();
                (is_body, closed, since.elapsed(), text)
            })
        })
        .collect();
    let (mut bodies_408, mut heads_closed, mut open) = (0, 0, 0);
    let mut cut_after = Vec::new();
    for task in tasks {
        let (is_body, closed, after, text) = task.await.unwrap();
        if !closed {
            open += 1;
        } else if is_body && text.starts_with("HTTP/1.1 408") && text.contains("RequestTimeout") {
            bodies_408 += 1;
        } else if !is_body {
            heads_closed += 1;
        } else {
            failures.add(format!("a slow body got: {text}"));
        }
        cut_after.push(after);
    }
    cut_after.sort();
    println!(
        "   cut off by the server: {bodies_408} bodies with 408 RequestTimeout, {heads_closed} heads closed, {open} \
         still open; after {:.1} s (median), {:.1} s (last)",
        percentile(&cut_after, 0.5) / 1000.0,
        percentile(&cut_after, 1.0) / 1000.0
    );
    failures.check(open == 0, || {
        format!("{open} slow clients were never cut off")
    });
}

// --- 4. Upstream faults for the gateway ---------------------------------------------------------------------

/// A fake upstream speaking raw HTTP/1.1, misbehaving as the `name` query parameter says (the gateway passes
/// ListWorkspaces' `name` through).
async fn fake_upstream(stall: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(misbehave(stream, stall));
        }
    });
    addr
}

async fn misbehave(mut stream: TcpStream, stall: Duration) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let behaviour = head
        .split_once("name=")
        .map(|(_, rest)| rest.split(['&', ' ']).next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    match behaviour.as_str() {
        "reset" => {
            stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n\
                      {\"requestId\":\"UP\",\"workspaces\":[",
                )
                .await
                .ok();
            stream.flush().await.ok();
            tokio::time::sleep(Duration::from_millis(50)).await;
            // Linger 0: the close is a reset, not an orderly end of the stream.
            #[allow(deprecated)]
            stream.set_linger(Some(Duration::ZERO)).ok();
            drop(stream);
        }
        "stall" => {
            tokio::time::sleep(stall).await;
        }
        "huge" => {
            let size = 10 * 1024 * 1024;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..size / chunk.len() {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        }
        "html500" => {
            let body = format!(
                "<html><head><title>500 Internal Server Error</title></head><body><h1>500</h1>\
                 <p>{HTML_MARKER}</p></body></html>"
            );
            let answer = format!(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(answer.as_bytes()).await.ok();
        }
        _ => {
            let body = r#"{"requestId":"UP-OK","workspaces":[],"totalCount":0,"maxResults":20}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(answer.as_bytes()).await.ok();
        }
    }
}

async fn upstream_faults(binary: &Path, s: &Settings, failures: &Failures) -> Vec<String> {
    println!(
        "\n4. The gateway against upstream faults (--timeout {} s)",
        s.upstream_timeout.as_secs()
    );
    let upstream = fake_upstream(s.stall).await;
    let closed = SocketAddr::from(([127, 0, 0, 1], free_port().await));
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
    ];
    let args = |to: SocketAddr| {
        vec![
            "--backend".to_owned(),
            "aliyun".to_owned(),
            "--upstream".to_owned(),
            format!("http://{to}"),
            "--timeout".to_owned(),
            s.upstream_timeout.as_secs().to_string(),
        ]
    };
    let gateway = Process::start(binary, "127.0.0.1", &args(upstream), &env).await;
    let refused = Process::start(binary, "127.0.0.1", &args(closed), &env).await;
    let leaks = [
        SECRET.to_owned(),
        upstream.to_string(),
        upstream.port().to_string(),
        closed.port().to_string(),
        HTML_MARKER.to_owned(),
        "UP-OK".to_owned(),
        "\"workspaces\":[".to_owned(),
    ];
    let cases = [
        (
            "refused",
            refused.base(),
            "/api/v1/workspaces?regionId=cn-hangzhou",
        ),
        (
            "control",
            gateway.base(),
            "/api/v1/workspaces?regionId=cn-hangzhou&name=ok",
        ),
        (
            "reset mid-answer",
            gateway.base(),
            "/api/v1/workspaces?regionId=cn-hangzhou&name=reset",
        ),
        (
            "stall",
            gateway.base(),
            "/api/v1/workspaces?regionId=cn-hangzhou&name=stall",
        ),
        (
            "10 MB body",
            gateway.base(),
            "/api/v1/workspaces?regionId=cn-hangzhou&name=huge",
        ),
        (
            "HTML 500",
            gateway.base(),
            "/api/v1/workspaces?regionId=cn-hangzhou&name=html500",
        ),
    ];
    let tasks: Vec<_> = cases
        .into_iter()
        .map(|(name, base, path)| {
            tokio::spawn(async move {
                let sent = Instant::now();
                let reply = client(1).get(format!("{base}{path}")).send().await;
                let took = sent.elapsed();
                match reply {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let text = r.text().await.unwrap_or_default();
                        (name, Some(status), text, took)
                    }
                    Err(e) => (name, None, e.to_string(), took),
                }
            })
        })
        .collect();
    for task in tasks {
        let (name, status, text, took) = task.await.unwrap();
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let code = json["Code"].as_str().unwrap_or("-");
        let leaked: Vec<&String> = leaks
            .iter()
            .filter(|l| name != "control" && text.contains(l.as_str()))
            .collect();
        println!(
            "   {name:<17} {} {code:<24} in {:>6.0} ms  leaks: {}",
            status.map_or("---".to_owned(), |s| s.to_string()),
            took.as_secs_f64() * 1000.0,
            if leaked.is_empty() {
                "none".to_owned()
            } else {
                format!("{leaked:?}")
            }
        );
        if name == "control" {
            failures.check(status == Some(200), || {
                format!("control: {status:?} {text}")
            });
            continue;
        }
        failures.check(
            matches!(status, Some(502 | 504)) && code != "-" && leaked.is_empty(),
            || format!("{name}: {status:?} {text}"),
        );
        if name == "stall" {
            failures.check(
                status == Some(504) && took >= s.upstream_timeout && took < s.stall,
                || format!("stall answered {status:?} after {took:?}"),
            );
        }
    }
    vec![gateway.stop().stderr, refused.stop().stderr]
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let s = settings(&args);
    let binary = args.server.clone().unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("this program's path");
        // target/<profile>/examples/stress → target/<profile>/workspace-server
        exe.parent()
            .and_then(|examples| examples.parent())
            .map(|dir| dir.join("workspace-server"))
            .expect("a directory above this program")
    });
    println!(
        "workspace-server reliability ({}): {}",
        if args.quick { "quick" } else { "full" },
        binary.display()
    );
    let failures = Failures::default();
    let started = Instant::now();
    let timeout = s.client_timeout.as_secs().to_string();
    let emulator_args: Vec<String> = [
        "--startup-delay",
        "0",
        "--header-timeout",
        &timeout,
        "--body-timeout",
        &timeout,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    let mut emulator = Process::start(&binary, "127.0.0.1", &emulator_args, &[]).await;
    creates(&emulator, &s, &failures).await;
    bodies(&mut emulator, &s, &failures).await;
    slow_clients(&emulator, &s, &failures).await;
    let alive = emulator.alive();
    let mut logs = vec![emulator.stop().stderr];
    failures.check(alive, || "the emulator died".into());
    logs.extend(upstream_faults(&binary, &s, &failures).await);

    let panics = logs
        .iter()
        .map(|l| l.matches("panicked").count())
        .sum::<usize>();
    let secret_in_logs = logs.iter().any(|l| l.contains(SECRET));
    println!(
        "\nserver panics: {panics}; secret in server logs: {secret_in_logs}; {:.0} s in all",
        started.elapsed().as_secs_f64()
    );
    failures.check(panics == 0, || "the server panicked".into());
    failures.check(!secret_in_logs, || "a server log holds the secret".into());
    let all = failures.all();
    if all.is_empty() {
        println!("all checks passed");
        std::process::ExitCode::SUCCESS
    } else {
        println!("\nFAILED ({} shown):", all.len());
        for f in all {
            println!("  - {f}");
        }
        std::process::ExitCode::FAILURE
    }
}
