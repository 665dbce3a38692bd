//! The conformance kit against `chatkit conformance-app`: every scenario must match the goldens
//! recorded from the Python reference.

mod support;

use std::process::Command;

#[test]
fn conformance_kit_passes() {
    let server = support::Server::start(&["conformance-app"]);
    let run_py = support::kit_dir().join("conformance/run.py");
    let output = Command::new("python3")
        .arg(&run_py)
        .args(["--url", &server.endpoint()])
        .output()
        .expect("python3 runs the conformance kit");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "conformance kit failed:\n{stdout}");
    assert!(stdout.contains(" passed, 0 failed"), "unexpected runner output:\n{stdout}");
}
