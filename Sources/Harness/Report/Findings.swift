import Foundation
import RunContract

/// Findings computed from a workload's summary rows.
public enum Findings {
    static func f(_ v: Double) -> String { ReportWriter.f(v, 1) }

    /// Sentences like "strategy=streaming lowers peak RSS 14.2x (1203.4 → 84.7 MB) at a 3.1% throughput cost vs accumulate at batch_size=10000 jemalloc".
    public static func compute(rows: [[String: String]], dims: [String], throughput tp: String?) -> [String] {
        var out: [String] = []
        func key(_ r: [String: String], except d: String) -> String { dims.filter { $0 != d }.map { "\($0)=\(r[$0] ?? "")" }.joined(separator: "|") }
        func context(_ r: [String: String], except d: String) -> String {
            let parts = dims.filter { $0 != d }.map { $0 == "allocator" ? (r[$0] ?? "") : "\(ResultsOnDisk.dimensionName($0))=\(r[$0] ?? "")" }
            return parts.isEmpty ? "" : " at " + parts.joined(separator: " ")
        }
        func overlaps(_ a: [String: String], _ b: [String: String], _ m: String) -> Bool {
            guard let alo = Double(a["\(m)_min"] ?? ""), let ahi = Double(a["\(m)_max"] ?? ""),
                  let blo = Double(b["\(m)_min"] ?? ""), let bhi = Double(b["\(m)_max"] ?? "") else { return false }
            return alo <= bhi && blo <= ahi
        }
        for d in dims {
            var values: [String] = []
            for r in rows where !values.contains(r[d] ?? "") { values.append(r[d] ?? "") }
            let isNumeric = values.allSatisfy { Double($0) != nil }
            let base: String
            let others: [String]
            if isNumeric {
                let sorted = values.sorted { Double($0)! < Double($1)! }
                base = sorted.first!
                others = sorted.count > 1 ? [sorted.last!] : []
            } else {
                base = values.first!
                others = Array(values.dropFirst())
            }
            let name = ResultsOnDisk.dimensionName(d)
            for v in others {
                for a in rows where a[d] == base {
                    guard let b = rows.first(where: { $0[d] == v && key($0, except: d) == key(a, except: d) }),
                          let pa = Double(a["peak_rss_mb_median"] ?? ""), let pb = Double(b["peak_rss_mb_median"] ?? ""), pa > 0, pb > 0 else { continue }
                    let subject = isNumeric ? "\(name) \(base) → \(v)" : (d == "allocator" ? v : "\(name)=\(v)")
                    let ratio = pa >= pb ? pa / pb : pb / pa
                    var s: String
                    if ratio >= 1.1 {
                        s = "\(subject) \(pa >= pb ? "lowers" : "raises") peak RSS \(String(format: "%.1f", ratio))x (\(f(pa)) → \(f(pb)) MB)"
                    } else {
                        s = "\(subject) changes peak RSS by \(String(format: "%+.1f", (pb / pa - 1) * 100))% (\(f(pa)) → \(f(pb)) MB)"
                    }
                    if let tp, let ta = Double(a["\(tp)_median"] ?? ""), let tb = Double(b["\(tp)_median"] ?? ""), ta > 0 {
                        let change = (tb / ta - 1) * 100
                        let what = change < 0 ? "cost" : "gain"
                        s += " at a \(String(format: "%.1f", abs(change)))% throughput \(what) (\(f(ta)) → \(f(tb)) \(Metric.named(tp)?.unit.label ?? "")"
                        s += overlaps(a, b, tp) ? ", within run-to-run noise)" : ")"
                    }
                    if !isNumeric { s += " vs \(d == "allocator" ? base : "\(name)=\(base)")" }
                    s += context(a, except: d)
                    out.append(s)
                }
            }
        }
        // Cross-check of the exact peak (wait4) against the child's own VmHWM.
        let pairs = rows.compactMap { r -> (Double, Double)? in
            guard let a = Double(r["peak_rss_mb_median"] ?? ""), let b = Double(r["peak_rss_hwm_mb_median"] ?? ""), a > 0, b > 0 else { return nil }
            return (a, b)
        }
        if !pairs.isEmpty {
            let worst = pairs.map { abs($0.0 / $0.1 - 1) }.max() ?? 0
            let agree = pairs.filter { abs($0.0 / $0.1 - 1) <= 0.05 }.count
            var s = "peak RSS from wait4 and the child's own VmHWM agree within 5% in \(agree) of \(pairs.count) configurations (largest difference \(String(format: "%.1f", worst * 100))%)"
            if agree < pairs.count {
                s += "; wait4's ru_maxrss also covers the child's reaped descendants (e.g. worker processes) and what it allocates after the measured region"
            }
            out.append(s)
        }
        // Phase attribution for the configuration with the largest growth.
        var best: (row: [String: String], total: Double, phase: String, delta: Double)?
        for r in rows {
            let deltas = r.keys.filter { $0.hasPrefix("phase_") && $0.hasSuffix("_rss_delta_mb_median") }
                .compactMap { k -> (String, Double)? in Double(r[k] ?? "").map { (String(k.dropFirst(6).dropLast("_rss_delta_mb_median".count)), $0) } }
            let total = deltas.map(\.1).filter { $0 > 0 }.reduce(0, +)
            guard total > 0, let top = deltas.max(by: { $0.1 < $1.1 }) else { continue }
            if best == nil || total > best!.total { best = (r, total, top.0, top.1) }
        }
        if let b = best {
            let ctx = dims.map { $0 == "allocator" ? (b.row[$0] ?? "") : "\(ResultsOnDisk.dimensionName($0))=\(b.row[$0] ?? "")" }.joined(separator: " ")
            out.append("phase `\(b.phase)` accounts for \(String(format: "%.1f", 100 * b.delta / b.total))% of RSS growth (+\(f(b.delta)) of +\(f(b.total)) MB grown across phases) in the configuration that grows most\(ctx.isEmpty ? "" : " (\(ctx))")")
        }
        return out
    }
}
