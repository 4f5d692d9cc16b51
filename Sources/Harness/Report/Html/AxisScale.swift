import Foundation

/// Maps data values to SVG pixels along one axis (linear or log10) and picks round tick values.
public struct AxisScale: Sendable {
    public var lo: Double, hi: Double
    /// Pixel positions of `lo` and `hi` (for a y axis `pixelLo` is the bottom).
    public var pixelLo: Double, pixelHi: Double
    public var log: Bool

    /// A scale over `values` (padded by `padFraction` of the span each side, from 0 when `fromZero`).
    public init(values: [Double], pixelLo: Double, pixelHi: Double, log: Bool = false, fromZero: Bool = false, padFraction: Double = 0.05) {
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
        var a = finite.min() ?? 0, b = finite.max() ?? 1
        if log {
            a = Foundation.log10(a) - 0.1
            b = Foundation.log10(b) + 0.1
        } else {
            if fromZero { a = min(0, a) }
            if a == b { a -= a == 0 ? 0 : abs(a) * 0.1; b += b == 0 ? 1 : abs(b) * 0.1 }
            let pad = (b - a) * padFraction
            b += pad
            if !(fromZero && a == 0) { a -= pad }
        }
        self.lo = a
        self.hi = b
        self.pixelLo = pixelLo
        self.pixelHi = pixelHi
        self.log = log
    }

    /// Pixel of `v`.
    public func pixel(_ v: Double) -> Double {
        let x = log ? Foundation.log10(max(v, 1e-300)) : v
        return pixelLo + (x - lo) / (hi - lo) * (pixelHi - pixelLo)
    }

    /// About `count` round tick values inside the domain (powers of ten, with 2 and 5 between when few, on a log axis).
    public func ticks(count: Int = 5) -> [Double] {
        if log {
            let a = Int(floor(lo)), b = Int(ceil(hi))
            var out: [Double] = []
            for e in a...b {
                let p = pow(10, Double(e))
                for m in (b - a <= 2 ? [1.0, 2, 5] : [1.0]) where (lo...hi).contains(Foundation.log10(m * p)) { out.append(m * p) }
            }
            return out
        }
        let raw = (hi - lo) / Double(max(count, 1))
        let mag = pow(10, floor(Foundation.log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var v = ceil(lo / step) * step
        while v <= hi + step * 1e-9 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }

    /// A tick label: grouped thousands as k/M, up to 3 significant digits otherwise.
    public static func label(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e6 { return trim(String(format: "%.2f", v / 1e6)) + "M" }
        if a >= 1e4 { return trim(String(format: "%.1f", v / 1e3)) + "k" }
        if a >= 100 || v == v.rounded() { return String(format: "%.0f", v) }
        return trim(String(format: "%.3g", v))
    }

    static func trim(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
