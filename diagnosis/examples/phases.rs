use std::time::Instant;
fn rss() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines().find(|l| l.starts_with("VmRSS")).unwrap().split_whitespace().nth(1).unwrap().parse::<u64>().unwrap()
        / 1024
}
fn main() {
    sizes();
    let path = std::env::args().nth(1).unwrap();
    let t = Instant::now();
    let bytes = std::fs::read(&path).unwrap();
    let input = diagnosis::ingest::read_owned("x.json", bytes);
    let inputs = vec![input];
    eprintln!("read+ingest {:?} rss {}", t.elapsed(), rss());
    let t = Instant::now();
    let ev = diagnosis::evidence::Evidence::collect(&inputs);
    eprintln!("evidence {:?} rss {}", t.elapsed(), rss());
    let t = Instant::now();
    let c = diagnosis::tree::diagnose(&ev, &inputs, Some(1.8e9));
    eprintln!("tree {:?} rss {} findings {}", t.elapsed(), rss(), c.findings.len());
    drop(ev);
    eprintln!("evidence dropped rss {}", rss());
    let d = diagnosis::Diagnosis {
        findings: c.findings,
        nodes: c.nodes,
        default_facts: c.default_facts,
        ..Default::default()
    };
    let t = Instant::now();
    let r = diagnosis::Report::build(&inputs, &d, diagnosis::Lang::En, &Default::default());
    eprintln!("report {:?} rss {}", t.elapsed(), rss());
    let t = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create("/tmp/fleet/phases.json").unwrap());
    r.write_json(&mut out).unwrap();
    drop(out);
    eprintln!("write {:?} rss {}", t.elapsed(), rss());
    std::mem::forget((r, d, inputs));
}
#[allow(dead_code)]
fn sizes() {
    eprintln!(
        "Finding {} Slots {}",
        std::mem::size_of::<diagnosis::tree::Finding>(),
        std::mem::size_of::<diagnosis::commands::Slots>()
    );
}
