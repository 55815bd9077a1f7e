//! The release machinery's scripts, run with bash against a local HTTP
//! server that plays GitHub releases: `scripts/package-release.sh` builds the
//! archive, `scripts/action-install.sh` (the Action's install step)
//! downloads, verifies and unpacks it, and refuses anything it cannot verify.
//! Also `scripts/check-tag-version.sh` and `scripts/homebrew-formula.sh`.
#![cfg(unix)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const VERSION: &str = env!("CARGO_PKG_VERSION");
const LINUX_X64: &str = "x86_64-unknown-linux-musl";

pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(name)
}

/// Whether every tool is on PATH; says which is missing when one is not.
pub fn have_tools(tools: &[&str]) -> bool {
    for tool in tools {
        let alternatives: Vec<&str> = tool.split('|').collect();
        let found = alternatives.iter().any(|t| {
            Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        });
        if !found {
            eprintln!("skipped: `{tool}` is not installed");
            return false;
        }
    }
    true
}

fn release_tools() -> bool {
    have_tools(&["bash", "curl", "tar", "sha256sum|shasum"])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn transcript(output: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr)
    )
}

fn write_executable(path: &Path, body: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, body).expect("write script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A stand-in for the real binary: prints this crate's version and writes
/// a man page and completions the way the real one does, in a millisecond.
fn fake_binary(path: &Path) {
    write_executable(
        path,
        &format!(
            "#!/bin/sh\n\
             case \"$1\" in\n\
             --version) echo \"git-postmortem {VERSION}\" ;;\n\
             generate-man) mkdir -p \"$3\" && printf '.TH git-postmortem 1\\n' > \"$3/git-postmortem.1\" ;;\n\
             completions) echo \"# $2 completions\" ;;\n\
             *) echo \"fake git-postmortem: $*\" ;;\n\
             esac\n"
        ),
    );
}

/// A local server that plays GitHub's release downloads: GET
/// /v1.2.3/ASSET serves ROOT/v1.2.3/ASSET, anything else is a 404.
pub struct ReleaseServer {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl ReleaseServer {
    pub fn serve(root: &Path) -> ReleaseServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (root, seen, stopped) = (root.to_path_buf(), requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    answer(stream, &root, &seen);
                }
            }
        });
        ReleaseServer {
            url: format!("http://{addr}"),
            requests,
            stop,
            addr,
        }
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("requests").clone()
    }
}

impl Drop for ReleaseServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn answer(mut stream: TcpStream, root: &Path, requests: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = text(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    requests.lock().expect("requests").push(path.clone());
    let file = root.join(path.trim_start_matches('/'));
    let response = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => {
            let mut r = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(&body);
            r
        }
        _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nNot Found"
            .to_vec(),
    };
    let _ = stream.write_all(&response);
}

/// A temporary runner: a release directory to serve, RUNNER_TEMP, the
/// install directory and the GITHUB_OUTPUT and GITHUB_PATH files.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let runner = Runner {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for sub in ["releases", "runner-temp", "home", "fake-bin"] {
            std::fs::create_dir_all(runner.path(sub)).expect("mkdir");
        }
        runner
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn install_dir(&self) -> PathBuf {
        self.path("install/bin")
    }

    /// Package the fake binary for `target` with the release script and
    /// put the archive and its checksum where the server serves v{VERSION}.
    fn publish(&self, target: &str) -> (PathBuf, PathBuf) {
        let binary = self.path("build/git-postmortem");
        fake_binary(&binary);
        let out = self.path(&format!("releases/v{VERSION}"));
        let output = Command::new("bash")
            .arg(script("package-release.sh"))
            .args([target.as_ref(), binary.as_os_str(), out.as_os_str()])
            .output()
            .expect("run package-release.sh");
        assert!(output.status.success(), "{}", transcript(&output));
        let archive = PathBuf::from(text(&output.stdout).trim());
        let sum = PathBuf::from(format!("{}.sha256", archive.display()));
        assert!(
            archive.is_file() && sum.is_file(),
            "{}",
            transcript(&output)
        );
        (archive, sum)
    }

    /// Run the Action's install script as GitHub would on a Linux x64
    /// runner, with `env` on top.
    fn install(&self, server: Option<&ReleaseServer>, env: &[(&str, &str)]) -> Output {
        let path = crate::common::path_with(&self.path("fake-bin"));
        let mut cmd = Command::new("bash");
        cmd.arg(script("action-install.sh"))
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.path("home"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", self.path("runner-temp"))
            .env("INSTALL_DIR", self.install_dir())
            .env("GITHUB_OUTPUT", self.path("github-output"))
            .env("GITHUB_PATH", self.path("github-path"))
            .env("GITHUB_ACTION_PATH", self.path("action"))
            .env("ACTION_REPOSITORY", "git-postmortem/git-postmortem");
        if let Some(server) = server {
            cmd.env("GIT_POSTMORTEM_RELEASES_URL", &server.url);
        }
        cmd.envs(env.iter().copied());
        cmd.output().expect("run action-install.sh")
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_default()
    }

    /// RUNNER_TEMP holds nothing the script left behind.
    fn assert_clean_temp(&self) {
        let left: Vec<_> = std::fs::read_dir(self.path("runner-temp"))
            .expect("runner temp")
            .flatten()
            .map(|e| e.path())
            .collect();
        assert!(left.is_empty(), "left in RUNNER_TEMP: {left:?}");
    }

    /// The installed binary does not exist: nothing unverified is on PATH.
    fn assert_nothing_installed(&self, output: &Output) {
        assert!(
            !self.install_dir().join("git-postmortem").exists(),
            "a binary was installed: {}",
            transcript(output)
        );
        assert!(
            !self.read("github-path").contains("install/bin"),
            "{}",
            transcript(output)
        );
        self.assert_clean_temp();
    }
}

fn asset(target: &str, ext: &str) -> String {
    format!("git-postmortem-{VERSION}-{target}.{ext}")
}

fn assert_fails_loudly(output: &Output, says: &str) {
    let all = transcript(output);
    assert!(!output.status.success(), "{all}");
    assert!(
        text(&output.stdout).contains("::error title=git-postmortem install::"),
        "no ::error:: annotation: {all}"
    );
    assert!(all.contains(says), "expected {says:?}: {all}");
}

#[test]
fn the_release_archive_holds_binary_man_pages_completions_and_licenses() {
    if !release_tools() {
        return;
    }
    let runner = Runner::new();
    let (archive, sum) = runner.publish(LINUX_X64);
    assert_eq!(
        archive.file_name().unwrap().to_string_lossy(),
        asset(LINUX_X64, "tar.gz")
    );
    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(&archive)
        .output()
        .expect("tar");
    let listing = text(&listing.stdout);
    let top = format!("git-postmortem-{VERSION}-{LINUX_X64}");
    for entry in [
        "git-postmortem",
        "man/man1/git-postmortem.1",
        "complete/git-postmortem.bash",
        "complete/_git-postmortem",
        "complete/git-postmortem.fish",
        "complete/git-postmortem.elv",
        "complete/_git-postmortem.ps1",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
    ] {
        assert!(
            listing.lines().any(|l| l == format!("{top}/{entry}")),
            "{entry} missing from:\n{listing}"
        );
    }
    // The checksum file reads as sha256sum writes it, naming the archive.
    let sum = std::fs::read_to_string(sum).expect("sha256 file");
    let (hash, name) = sum.trim_end().split_once("  ").expect("HASH  NAME");
    assert_eq!(hash.len(), 64, "{sum}");
    assert_eq!(name, asset(LINUX_X64, "tar.gz"));
}

#[test]
fn a_pinned_release_tag_downloads_verifies_and_installs_the_binary() {
    if !release_tools() {
        return;
    }
    let runner = Runner::new();
    runner.publish(LINUX_X64);
    let server = ReleaseServer::serve(&runner.path("releases"));
    let tag = format!("v{VERSION}");
    let output = runner.install(Some(&server), &[("ACTION_REF", &tag)]);
    assert!(output.status.success(), "{}", transcript(&output));
    assert!(
        text(&output.stdout).contains("Verified SHA-256"),
        "{}",
        transcript(&output)
    );

    let installed = runner.install_dir().join("git-postmortem");
    let ran = Command::new(&installed)
        .arg("--version")
        .output()
        .expect("run the installed binary");
    assert_eq!(text(&ran.stdout), format!("git-postmortem {VERSION}\n"));
    assert_eq!(
        runner.read("github-path"),
        format!("{}\n", runner.install_dir().display())
    );
    assert_eq!(
        runner.read("github-output"),
        format!("version={VERSION}\nmethod=release\n")
    );
    assert_eq!(
        server.requests(),
        vec![
            format!("/{tag}/{}.sha256", asset(LINUX_X64, "tar.gz")),
            format!("/{tag}/{}", asset(LINUX_X64, "tar.gz")),
        ]
    );
    runner.assert_clean_temp();
}

#[test]
fn the_version_input_overrides_a_branch_and_accepts_a_leading_v() {
    if !release_tools() {
        return;
    }
    let runner = Runner::new();
    runner.publish(LINUX_X64);
    let server = ReleaseServer::serve(&runner.path("releases"));
    for version in [VERSION.to_string(), format!("v{VERSION}")] {
        let output = runner.install(
            Some(&server),
            &[("ACTION_REF", "main"), ("INPUT_VERSION", &version)],
        );
        assert!(output.status.success(), "{}", transcript(&output));
        assert!(runner.install_dir().join("git-postmortem").is_file());
    }
    let output = runner.install(Some(&server), &[("INPUT_VERSION", "latest")]);
    assert_fails_loudly(&output, "version must be a release such as 1.2.3");
}

#[test]
fn a_checksum_mismatch_fails_loudly_and_installs_nothing() {
    if !release_tools() {
        return;
    }
    let runner = Runner::new();
    let (archive, _) = runner.publish(LINUX_X64);
    // The archive changed after its checksum was published.
    let mut bytes = std::fs::read(&archive).expect("archive");
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&archive, bytes).expect("tamper");
    let server = ReleaseServer::serve(&runner.path("releases"));
    let output = runner.install(Some(&server), &[("ACTION_REF", &format!("v{VERSION}"))]);
    assert_fails_loudly(&output, "checksum mismatch for");
    assert!(text(&output.stdout).contains("refusing to install it"));
    runner.assert_nothing_installed(&output);
}

#[test]
fn a_checksum_file_without_a_checksum_or_for_another_file_is_refused() {
    if !release_tools() {
        return;
    }
    let runner = Runner::new();
    let (_, sum) = runner.publish(LINUX_X64);
    let server = ReleaseServer::serve(&runner.path("releases"));
    let tag = format!("v{VERSION}");

    std::fs::write(&sum, "<html>not a checksum</html>\n").expect("write");
    let output = runner.install(Some(&server), &[("ACTION_REF", &tag)]);
    assert_fails_loudly(&output, "holds no SHA-256 checksum");
    runner.assert_nothing_installed(&output);

    let other = format!(
        "{}  git-postmortem-0.0.1-{LINUX_X64}.tar.gz\n",
        "0".repeat(64)
    );
    std::fs::write(&sum, other).expect("write");
    let output = runner.install(Some(&server), &[("ACTION_REF", &tag)]);
    assert_fails_loudly(&output, "is the checksum of git-postmortem-0.0.1");
    runner.assert_nothing_installed(&output);
}

#[test]
fn a_missing_asset_fails_loudly() {
    if !release_tools() {
        return;
    }
    let runner = Runner::new();
    let (archive, _) = runner.publish(LINUX_X64);
    std::fs::remove_file(archive).expect("remove the archive");
    let server = ReleaseServer::serve(&runner.path("releases"));
    let output = runner.install(Some(&server), &[("ACTION_REF", &format!("v{VERSION}"))]);
    assert_fails_loudly(&output, "could not download");
    assert!(
        text(&output.stdout).contains(&asset(LINUX_X64, "tar.gz")),
        "{}",
        transcript(&output)
    );
    runner.assert_nothing_installed(&output);

    // A release that does not exist at all.
    let output = runner.install(Some(&server), &[("INPUT_VERSION", "9.9.9")]);
    assert_fails_loudly(&output, "could not download");
    runner.assert_nothing_installed(&output);
}

#[test]
fn a_missing_checksum_file_fails_loudly() {
    if !release_tools() {
        return;
    }
    let runner = Runner::new();
    let (_, sum) = runner.publish(LINUX_X64);
    std::fs::remove_file(sum).expect("remove the checksum");
    let server = ReleaseServer::serve(&runner.path("releases"));
    let output = runner.install(Some(&server), &[("ACTION_REF", &format!("v{VERSION}"))]);
    assert_fails_loudly(&output, ".sha256");
    runner.assert_nothing_installed(&output);
    // The archive is not even fetched without a checksum to check it by.
    assert_eq!(server.requests().len(), 1, "{:?}", server.requests());
}

#[test]
fn each_runner_gets_its_targets_archive() {
    if !release_tools() || !have_tools(&["zip|7z", "unzip"]) {
        return;
    }
    let runner = Runner::new();
    runner.publish("aarch64-apple-darwin");
    runner.publish("x86_64-pc-windows-msvc");
    let server = ReleaseServer::serve(&runner.path("releases"));
    let tag = format!("v{VERSION}");

    let output = runner.install(
        Some(&server),
        &[
            ("ACTION_REF", &tag),
            ("RUNNER_OS", "macOS"),
            ("RUNNER_ARCH", "ARM64"),
        ],
    );
    assert!(output.status.success(), "{}", transcript(&output));
    assert!(runner.install_dir().join("git-postmortem").is_file());

    let output = runner.install(
        Some(&server),
        &[
            ("ACTION_REF", &tag),
            ("RUNNER_OS", "Windows"),
            ("RUNNER_ARCH", "X64"),
        ],
    );
    assert!(output.status.success(), "{}", transcript(&output));
    assert!(runner.install_dir().join("git-postmortem.exe").is_file());
    assert!(
        server.requests().contains(&format!(
            "/{tag}/{}",
            asset("x86_64-pc-windows-msvc", "zip")
        )),
        "{:?}",
        server.requests()
    );
}

/// A `cargo` on PATH that records how it was called.
fn fake_cargo(runner: &Runner) -> PathBuf {
    let log = runner.path("cargo-calls");
    write_executable(
        &runner.path("fake-bin/cargo"),
        &format!("#!/bin/sh\necho \"$*\" >> '{}'\n", log.display()),
    );
    log
}

#[test]
fn a_branch_or_commit_builds_from_source_with_cargo_install_locked() {
    if !have_tools(&["bash"]) {
        return;
    }
    let runner = Runner::new();
    let log = fake_cargo(&runner);
    std::fs::create_dir_all(runner.path("action")).expect("mkdir");
    std::fs::write(
        runner.path("action/Cargo.toml"),
        "[package]\nname = \"git-postmortem\"\nversion = \"0.2.0-dev\"\n",
    )
    .expect("write");
    let action = runner.path("action").display().to_string();
    for reference in ["main", "3f1c2d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", "v1", ""] {
        std::fs::write(runner.path("github-output"), "").expect("reset");
        let output = runner.install(None, &[("ACTION_REF", reference)]);
        assert!(output.status.success(), "{}", transcript(&output));
        assert!(
            text(&output.stdout)
                .contains("::notice title=git-postmortem install::building from source"),
            "{}",
            transcript(&output)
        );
        assert_eq!(
            runner.read("github-output"),
            "version=0.2.0-dev\nmethod=source\n"
        );
    }
    assert_eq!(
        runner.read("cargo-calls"),
        format!("install --locked --path {action}\n").repeat(4)
    );
    assert!(runner
        .read("github-path")
        .contains(&format!("{}/.cargo/bin", runner.path("home").display())));

    // `install: git` asks cargo for the action's repository at its ref.
    std::fs::remove_file(&log).expect("reset");
    let output = runner.install(None, &[("ACTION_REF", "main"), ("INPUT_INSTALL", "git")]);
    assert!(output.status.success(), "{}", transcript(&output));
    assert_eq!(
        runner.read("cargo-calls"),
        "install --locked --git https://github.com/git-postmortem/git-postmortem --rev main git-postmortem\n"
    );

    // A release with no binary for this runner builds from source too.
    std::fs::remove_file(&log).expect("reset");
    let output = runner.install(
        None,
        &[
            ("ACTION_REF", &format!("v{VERSION}")),
            ("RUNNER_ARCH", "ARM"),
        ],
    );
    assert!(output.status.success(), "{}", transcript(&output));
    assert!(text(&output.stdout).contains("no release binary for Linux/ARM"));
    assert_eq!(
        runner.read("cargo-calls"),
        format!("install --locked --path {action}\n")
    );
}

#[test]
fn install_inputs_that_contradict_each_other_are_refused() {
    if !have_tools(&["bash"]) {
        return;
    }
    let runner = Runner::new();
    fake_cargo(&runner);
    let output = runner.install(None, &[("INPUT_INSTALL", "binary")]);
    assert_fails_loudly(&output, "install must be auto, release, path or git");
    let output = runner.install(
        None,
        &[("INPUT_VERSION", "1.2.3"), ("INPUT_INSTALL", "path")],
    );
    assert_fails_loudly(&output, "cannot go with 'install: path'");
    let output = runner.install(
        None,
        &[("ACTION_REF", "main"), ("INPUT_INSTALL", "release")],
    );
    assert_fails_loudly(&output, "install: release needs 'version'");
    assert_eq!(runner.read("cargo-calls"), "");
}

fn check_tag(tag: &str, env: &[(&str, &str)]) -> Output {
    Command::new("bash")
        .arg(script("check-tag-version.sh"))
        .arg(tag)
        .envs(env.iter().copied())
        .output()
        .expect("run check-tag-version.sh")
}

#[test]
fn the_release_tag_must_be_the_cargo_toml_version() {
    if !have_tools(&["bash"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let github_output = dir.path().join("output");
    let output = check_tag(
        &format!("v{VERSION}"),
        &[("GITHUB_OUTPUT", github_output.to_str().unwrap())],
    );
    assert!(output.status.success(), "{}", transcript(&output));
    assert_eq!(text(&output.stdout), format!("{VERSION}\n"));
    assert_eq!(
        std::fs::read_to_string(&github_output).expect("output"),
        format!("version={VERSION}\n")
    );

    for tag in ["v99.0.0", VERSION, &format!("v{VERSION}-rc.1")] {
        let output = check_tag(tag, &[]);
        assert!(!output.status.success(), "{tag}: {}", transcript(&output));
        let stdout = text(&output.stdout);
        assert!(
            stdout.starts_with("::error file=")
                && stdout.contains(&format!("tag {tag} does not match version {VERSION}")),
            "{}",
            transcript(&output)
        );
    }

    // The version is the [package] table's, not a dependency's.
    let manifest = dir.path().join("Cargo.toml");
    std::fs::write(
        &manifest,
        "[workspace]\nresolver = \"2\"\n\n[package]\nname = \"x\"\nversion = \"1.4.2\"\n\n[dependencies]\nfoo = { version = \"2.0.0\" }\n",
    )
    .expect("write");
    let output = Command::new("bash")
        .arg(script("check-tag-version.sh"))
        .arg("v1.4.2")
        .arg(&manifest)
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", transcript(&output));
}

#[test]
fn the_homebrew_formula_gets_the_version_and_every_checksum() {
    if !have_tools(&["bash"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let targets = [
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "aarch64-unknown-linux-musl",
        "x86_64-unknown-linux-musl",
    ];
    for (n, target) in targets.iter().enumerate() {
        let name = format!("git-postmortem-1.4.2-{target}.tar.gz");
        std::fs::write(
            dir.path().join(format!("{name}.sha256")),
            format!("{}  {name}\n", format!("{n}").repeat(64)),
        )
        .expect("write");
    }
    let render = || {
        Command::new("bash")
            .arg(script("homebrew-formula.sh"))
            .arg("1.4.2")
            .arg(dir.path())
            .output()
            .expect("run homebrew-formula.sh")
    };
    let output = render();
    assert!(output.status.success(), "{}", transcript(&output));
    let formula = text(&output.stdout);
    assert!(!formula.contains('@'), "placeholders left:\n{formula}");
    assert!(formula.contains("version \"1.4.2\""), "{formula}");
    for (n, target) in targets.iter().enumerate() {
        assert!(
            formula.contains(&format!(
                "url \"https://github.com/git-postmortem/git-postmortem/releases/download/v1.4.2/git-postmortem-1.4.2-{target}.tar.gz\"\n      sha256 \"{}\"",
                format!("{n}").repeat(64)
            )),
            "{target}:\n{formula}"
        );
    }

    std::fs::remove_file(
        dir.path()
            .join("git-postmortem-1.4.2-aarch64-unknown-linux-musl.tar.gz.sha256"),
    )
    .expect("remove");
    let output = render();
    assert!(!output.status.success(), "{}", transcript(&output));
    assert!(text(&output.stderr).contains("aarch64-unknown-linux-musl archive published?"));
}
