/// Thins a time series for drawing while keeping its shape: the lowest and the highest point of each bucket stay,
/// so the peak is never lost.
public enum Decimation {
    /// At most about `2 * buckets + 2` points of `points` (in time order); fewer points are returned as they are.
    /// The first and last points always stay.
    public static func minMax(_ points: [(t: Double, v: Double)], buckets: Int) -> [(t: Double, v: Double)] {
        guard buckets > 0, points.count > 2 * buckets + 2 else { return points }
        var out: [(t: Double, v: Double)] = [points[0]]
        let inner = points.count - 2
        for b in 0..<buckets {
            let lo = 1 + b * inner / buckets, hi = 1 + (b + 1) * inner / buckets
            guard lo < hi else { continue }
            var iMin = lo, iMax = lo
            for i in lo..<hi {
                if points[i].v < points[iMin].v { iMin = i }
                if points[i].v > points[iMax].v { iMax = i }
            }
            if iMin == iMax { out.append(points[iMin]) } else {
                out.append(points[min(iMin, iMax)])
                out.append(points[max(iMin, iMax)])
            }
        }
        out.append(points[points.count - 1])
        return out
    }
}
