//! The `workspace-server` binary as a child process on a free port, waited for until it accepts connections.
//!
//! Shared by the integration tests and the stress example (`examples/stress.rs` includes this file), so that
//! "start it and wait" is written once. Only std and tokio: nothing else of either side.

// Each of the two crates that include it uses a part.
#![allow(dead_code)]

use std::{
    ffi::OsStr,
    io::Read,
    net::SocketAddr,
    path::Path,
    process::{Child, Command, ExitStatus, Stdio},
    thread::JoinHandle,
    time::{Duration, Instant},
};

/// How long a server may take to open its port.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// A running server; what it writes is kept, to be read when it stops.
pub struct Process {
    child: Child,
    /// Where it listens (on a wildcard listen, its loopback address).
    pub addr: SocketAddr,
    stdout: JoinHandle<String>,
    stderr: JoinHandle<String>,
}

/// What a stopped server wrote.
pub struct Output {
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// A loopback port nothing listens on (for the moment).
pub async fn free_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

fn collect(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        pipe.read_to_string(&mut text).ok();
        text
    })
}

impl Process {
    /// Starts `binary` with `--listen IP:PORT` on a free port, then `args`, in an environment of only `env`, and
    /// returns once the port accepts connections. Panics, with what the server wrote, if it exits first or does
    /// not open the port in time.
    pub async fn start(
        binary: &Path,
        ip: &str,
        args: &[impl AsRef<OsStr>],
        env: &[(&str, &str)],
    ) -> Process {
        let port = free_port().await;
        let mut child = Command::new(binary)
            .env_clear()
            .envs(env.iter().copied())
            .arg("--listen")
            .arg(format!("{ip}:{port}"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let mut process = Process {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            stdout,
            stderr,
        };
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if tokio::net::TcpStream::connect(process.addr).await.is_ok() {
                return process;
            }
            if !process.alive() {
                let output = process.stop();
                panic!(
                    "{} exited with {:?} before listening: {}",
                    binary.display(),
                    output.status,
                    output.stderr
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let output = process.stop();
        panic!(
            "{} did not open port {port}: {}",
            binary.display(),
            output.stderr
        );
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Its process id, to send it a signal.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether it is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits up to `timeout` for it to exit by itself (then kills it), and returns what it wrote.
    pub async fn exit_within(mut self, timeout: Duration) -> Output {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                return self.output(Some(status));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.stop()
    }

    /// Kills it and returns what it wrote (no status: it did not exit by itself).
    pub fn stop(mut self) -> Output {
        let exited = self.child.try_wait().ok().flatten();
        if exited.is_none() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
        self.output(exited)
    }

    fn output(self, status: Option<ExitStatus>) -> Output {
        Output {
            status,
            stdout: self.stdout.join().unwrap_or_default(),
            stderr: self.stderr.join().unwrap_or_default(),
        }
    }
}
