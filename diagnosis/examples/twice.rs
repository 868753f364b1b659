use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for round in 0..3 {
        let t = Instant::now();
        let input = diagnosis::ingest::read_owned("x.json", bytes.clone());
        let inputs = vec![input];
        let t1 = t.elapsed();
        let d = diagnosis::Diagnosis::of(&inputs, Some(1.8e9));
        let t2 = t.elapsed();
        let r = diagnosis::Report::build(&inputs, &d, diagnosis::Lang::En, &Default::default());
        let t3 = t.elapsed();
        eprintln!("round {round}: read {t1:?} diagnosis {:?} report {:?} ({} nodes)", t2 - t1, t3 - t2, r.nodes.len());
    }
}
