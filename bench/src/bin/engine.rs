//! The engine alone, without HTTP: runs `--count` streaming requests (a 20-word echo by
//! default) of the conformance app on the memory store through `ChatKit::process`, `--tasks`
//! at a time, and prints the wall time per request: the engine's own cost, for profiling.
//!
//! `engine [--count 20000] [--tasks 64] [--text "echo …"]`

use std::time::Instant;

use anyhow::Result;
use chatkit::{ChatKit, MemoryStore, Processed};
use chatkit_bench::Flags;
use chatkit_conformance::{Caller, ConformanceApp};

#[tokio::main]
async fn main() -> Result<()> {
    let flags = Flags::from_env(1);
    let count: usize = flags.get("count", 20_000)?;
    let tasks: usize = flags.get("tasks", 64)?;
    let text = flags.raw("text").unwrap_or(
        "echo one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty",
    );
    let body = format!(
        r#"{{"type":"threads.create","params":{{"input":{{"content":[{{"type":"input_text","text":"{text}"}}],"attachments":[],"inference_options":{{}}}}}}}}"#
    );
    let chatkit = ChatKit::new(ConformanceApp::new(), MemoryStore::new());
    let start = Instant::now();
    let workers: Vec<_> = (0..tasks.max(1))
        .map(|w| {
            let (chatkit, body) = (chatkit.clone(), body.clone());
            let n = count / tasks.max(1) + usize::from(w < count % tasks.max(1));
            tokio::spawn(async move {
                let mut bytes = 0;
                for _ in 0..n {
                    match chatkit.process(body.as_bytes(), Caller::new("bench")).await? {
                        Processed::Stream(stream) => bytes += stream.collect().await.len(),
                        Processed::Json(json) => bytes += json.len(),
                    }
                }
                anyhow::Ok(bytes)
            })
        })
        .collect();
    let mut bytes = 0;
    for worker in workers {
        bytes += worker.await??;
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "requests={count} seconds={seconds:.3} rps={:.0} us_per_request={:.1} bytes_per_request={}",
        count as f64 / seconds,
        seconds * 1e6 / count as f64,
        bytes / count.max(1)
    );
    Ok(())
}
