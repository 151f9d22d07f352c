//! The project's build steps, run as `cargo xtask …` (an alias in `.cargo/config.toml`).
//!
//! They are what cargo-leptos did for this project, without its 11-minute install (it compiles
//! swc, lightningcss and libgit2, none of which we use):
//!
//! 1. the island's WebAssembly: `app` built for `wasm32-unknown-unknown` with `hydrate`;
//! 2. wasm-bindgen, as a library pinned to the `wasm-bindgen` in Cargo.lock;
//! 3. the site: `style/main.css` as `pkg/onboarding.css`, and `public/` copied as it is;
//! 4. in release, wasm-opt -Oz (npm `binaryen`), JavaScript and CSS minified (npm `esbuild`),
//!    and every file under `pkg/` precompressed (`.br`, `.gz`; Node's zlib);
//! 5. the server, built at the same time as the WebAssembly.
//!
//! Every cargo command here runs with the flags and `LEPTOS_*` variables of `.cargo/config.toml`,
//! like tests and benchmarks, so all of them share one set of artifacts. `[package.metadata.leptos]`
//! in Cargo.toml describes the same layout, for anyone who runs `cargo leptos watch`.
//!
//! Commands:
//! - `build [--release | --release-site]`: the site and the server (`--release-site`: the
//!   release site with a debug server, for the release browser tests).
//! - `site [--release]`: the site only (WebAssembly, CSS, public files).
//! - `serve [--release]`: build, then run the server (the demo when no LedgerOS is configured).
//! - `watch`: serve, and rebuild and restart on every change to the sources, styles or files.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};

/// `output-name` in `[package.metadata.leptos]`, and `LEPTOS_OUTPUT_NAME` in `.cargo/config.toml`.
const OUTPUT_NAME: &str = "onboarding";
/// Where the site goes (`site-root`); `LEPTOS_SITE_ROOT`'s default.
const SITE_ROOT: &str = "target/site";
/// The WebAssembly's own target directory: it builds beside the server, and a second cargo
/// in the same directory would wait for the first one's lock.
const FRONT_TARGET: &str = "target/front";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    Debug,
    Release,
}

impl Profile {
    fn server_args(self) -> &'static [&'static str] {
        match self {
            Profile::Debug => &[],
            Profile::Release => &["--release"],
        }
    }
    /// `lib-profile-release` in `[package.metadata.leptos]`: small over fast.
    fn wasm_profile(self) -> &'static str {
        match self {
            Profile::Debug => "dev",
            Profile::Release => "wasm-release",
        }
    }
    fn wasm_dir(self) -> &'static str {
        match self {
            Profile::Debug => "debug",
            Profile::Release => "wasm-release",
        }
    }
    fn server_binary(self) -> PathBuf {
        PathBuf::from(match self {
            Profile::Debug => "target/debug/server",
            Profile::Release => "target/release/server",
        })
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    std::env::set_current_dir(&root).with_context(|| format!("cannot enter {}", root.display()))?;
    let command = args.first().map(String::as_str).unwrap_or("help");
    let release = args.iter().any(|a| a == "--release");
    // `--release-site`: the production bundle (what the browser downloads) beside a debug server:
    // the release browser tests check its hydration and weight without a release server compile.
    let profile = if release { Profile::Release } else { Profile::Debug };
    let site_profile = if release || args.iter().any(|a| a == "--release-site") {
        Profile::Release
    } else {
        Profile::Debug
    };
    match command {
        "build" => build(profile, site_profile),
        "site" => site(site_profile),
        "serve" => {
            build(profile, site_profile)?;
            let status = serve(profile)?.wait()?;
            exit_with(status)
        }
        "watch" => watch(),
        _ => {
            eprintln!(
                "usage: cargo xtask build|site|serve [--release | --release-site] | watch\n\
                 build: the site (target/site) and the server; serve: build, then run the server;\n\
                 watch: serve, rebuilding and restarting on every change;\n\
                 --release-site: the release site with a debug server"
            );
            if command == "help" {
                Ok(())
            } else {
                bail!("unknown command {command:?}")
            }
        }
    }
}

fn workspace_root() -> PathBuf {
    // CARGO_MANIFEST_DIR is xtask/, at compile time; the workspace is its parent.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

fn exit_with(status: ExitStatus) -> Result<()> {
    if status.success() {
        Ok(())
    } else {
        std::process::exit(status.code().unwrap_or(1))
    }
}

/// The site and the server, the two cargo builds at once (they use separate target
/// directories; on two cores, one fills the other's waits for a single crate or the linker).
fn build(profile: Profile, site_profile: Profile) -> Result<()> {
    let started = Instant::now();
    let mut server = cargo()
        .args(["build", "--locked", "-p", "server"])
        .args(profile.server_args())
        .spawn()
        .context("cannot start cargo for the server")?;
    let site = site(site_profile);
    let server = server.wait()?;
    site?;
    if !server.success() {
        bail!("the server did not build (cargo's errors above)");
    }
    eprintln!("xtask: built in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// A cargo command with the environment of the shell that ran `cargo xtask`: without what
/// `cargo run` set for xtask itself (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, …). Build scripts
/// such as ring's ask to rerun when those change, so leaving them would rebuild ring, rustls,
/// sqlx and everything above them between `cargo test` and `cargo xtask build`.
fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let set_by_cargo_run = matches!(
            key,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_CRATE_NAME"
                | "CARGO_BIN_NAME"
                | "CARGO_PRIMARY_PACKAGE"
        ) || key.starts_with("CARGO_PKG_");
        if set_by_cargo_run {
            command.env_remove(key);
        }
    }
    command
}

/// WebAssembly, wasm-bindgen, styles and public files into `target/site`.
fn site(profile: Profile) -> Result<()> {
    wasm_target()?;
    let status = cargo()
        .args(["build", "--locked", "-p", "app", "--lib", "--target", WASM_TARGET])
        .args(["--no-default-features", "--features", "hydrate"])
        .args(["--profile", profile.wasm_profile()])
        .env("CARGO_TARGET_DIR", FRONT_TARGET)
        .status()
        .context("cannot start cargo for the WebAssembly")?;
    if !status.success() {
        bail!("the WebAssembly did not build (cargo's errors above)");
    }
    let wasm = Path::new(FRONT_TARGET)
        .join(WASM_TARGET)
        .join(profile.wasm_dir())
        .join("app.wasm");
    let pkg = Path::new(SITE_ROOT).join("pkg");
    std::fs::create_dir_all(&pkg).with_context(|| format!("cannot create {}", pkg.display()))?;
    bindgen(&wasm, &pkg, profile)?;
    std::fs::copy("style/main.css", pkg.join(format!("{OUTPUT_NAME}.css")))
        .context("cannot copy style/main.css")?;
    copy_dir(Path::new("public"), Path::new(SITE_ROOT))?;
    if profile == Profile::Release {
        release_steps(&pkg)?;
    } else {
        // A debug site after a release one: drop the release's compressed copies, which the
        // server would otherwise serve in place of the new files.
        for entry in std::fs::read_dir(&pkg)? {
            let path = entry?.path();
            if matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")) {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

/// The standard library for wasm32, added with rustup when missing (seconds: a download).
fn wasm_target() -> Result<()> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .context("cannot run rustc")?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if sysroot.join("lib/rustlib").join(WASM_TARGET).exists() {
        return Ok(());
    }
    eprintln!("xtask: adding the {WASM_TARGET} target (rustup)");
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .status()
        .context("cannot run rustup, which adds the wasm32 target")?;
    if !status.success() {
        bail!("rustup could not add {WASM_TARGET}");
    }
    Ok(())
}

/// `pkg/onboarding.js` and `pkg/onboarding.wasm`, as cargo-leptos names them.
fn bindgen(wasm: &Path, pkg: &Path, profile: Profile) -> Result<()> {
    let debug = profile == Profile::Debug;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .out_name(OUTPUT_NAME)
        .web(true)?
        .omit_imports(true)
        .keep_debug(debug)
        .remove_name_section(!debug)
        .remove_producers_section(!debug)
        .typescript(false);
    let mut output = bindgen
        .generate_output()
        .with_context(|| format!("wasm-bindgen failed on {}", wasm.display()))?;
    output
        .emit(pkg)
        .context("wasm-bindgen could not write its output")?;
    let bg = pkg.join(format!("{OUTPUT_NAME}_bg.wasm"));
    std::fs::rename(&bg, pkg.join(format!("{OUTPUT_NAME}.wasm")))
        .with_context(|| format!("cannot rename {}", bg.display()))?;
    // The glue imports `<name>_bg.wasm` by default; the page asks for `<name>.wasm`.
    let js = pkg.join(format!("{OUTPUT_NAME}.js"));
    let text = std::fs::read_to_string(&js)?
        .replace(&format!("{OUTPUT_NAME}_bg.wasm"), &format!("{OUTPUT_NAME}.wasm"));
    std::fs::write(&js, text)?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {} to {}", entry.path().display(), target.display()))?;
        }
    }
    Ok(())
}

/// wasm-opt, minification and precompression: `xtask/release.mjs`, with the npm packages
/// pinned in `xtask/package-lock.json`, installed here when missing or changed (seconds: no
/// compiling, nothing downloaded by install scripts).
fn release_steps(pkg: &Path) -> Result<()> {
    let lock = std::fs::read("xtask/package-lock.json").context("cannot read xtask/package-lock.json")?;
    let stamp = Path::new("xtask/node_modules/.installed-lock.json");
    if std::fs::read(stamp).ok().as_ref() != Some(&lock) {
        eprintln!("xtask: installing wasm-opt (npm binaryen) and esbuild");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix", "xtask"])
            .status()
            .context("cannot run npm (Node.js 20 or later is needed for release builds)")?;
        if !status.success() {
            bail!("npm ci in xtask/ failed");
        }
        std::fs::write(stamp, &lock)?;
    }
    let status = Command::new("node")
        .arg("xtask/release.mjs")
        .arg(pkg)
        .arg(OUTPUT_NAME)
        .status()
        .context("cannot run node")?;
    if !status.success() {
        bail!("the release steps (xtask/release.mjs) failed");
    }
    Ok(())
}

fn serve(profile: Profile) -> Result<Child> {
    let binary = profile.server_binary();
    let mut command = Command::new(&binary);
    // Links in the demo's emails say `localhost`, where browsers allow passkeys (not on an IP
    // address); the server still answers on 127.0.0.1:3000 too.
    if std::env::var_os("PUBLIC_URL").is_none() && std::env::var_os("LEPTOS_SITE_ADDR").is_none() {
        command.env("PUBLIC_URL", "http://localhost:3000");
    }
    command
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))
}

/// Serve, then poll the sources every 200 ms: a change to Rust sources or migrations rebuilds
/// and restarts the server; a change to styles or public files is copied over (reload the page).
fn watch() -> Result<()> {
    build(Profile::Debug, Profile::Debug)?;
    let mut server = serve(Profile::Debug)?;
    let code = [
        "src",
        "app/src",
        "server/src",
        "sandbox/src",
        "migrations",
        "Cargo.toml",
    ];
    let files = ["style", "public"];
    let mut code_seen = newest(&code);
    let mut files_seen = newest(&files);
    eprintln!("xtask: watching; edit and reload the page (Ctrl-C stops)");
    loop {
        thread::sleep(Duration::from_millis(200));
        let code_now = newest(&code);
        let files_now = newest(&files);
        if files_now > files_seen {
            files_seen = files_now;
            std::fs::copy(
                "style/main.css",
                Path::new(SITE_ROOT)
                    .join("pkg")
                    .join(format!("{OUTPUT_NAME}.css")),
            )?;
            copy_dir(Path::new("public"), Path::new(SITE_ROOT))?;
            eprintln!("xtask: styles and public files copied");
        }
        if code_now > code_seen {
            code_seen = code_now;
            let started = Instant::now();
            match build(Profile::Debug, Profile::Debug) {
                Ok(()) => {
                    let _ = server.kill();
                    let _ = server.wait();
                    server = serve(Profile::Debug)?;
                    eprintln!(
                        "xtask: restarted {:.1} s after the change",
                        started.elapsed().as_secs_f64()
                    );
                }
                Err(error) => eprintln!("xtask: {error:#}; the last good build keeps running"),
            }
            // Edits made during the build are picked up on the next round.
        }
        if let Some(status) = server.try_wait()? {
            bail!("the server stopped ({status}); see its output above");
        }
    }
}

/// The newest modification time under these paths.
fn newest(paths: &[&str]) -> SystemTime {
    fn walk(path: &Path, newest: &mut SystemTime) {
        let Ok(meta) = std::fs::metadata(path) else { return };
        if let Ok(modified) = meta.modified() {
            *newest = (*newest).max(modified);
        }
        if meta.is_dir() {
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                walk(&entry.path(), newest);
            }
        }
    }
    let mut newest = SystemTime::UNIX_EPOCH;
    for path in paths {
        walk(Path::new(path), &mut newest);
    }
    newest
}
