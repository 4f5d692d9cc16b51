#if canImport(Glibc)
import Glibc
#endif

/// Computes `PageStatistics` over raw pointers in one pass per page, storing every slot's XXH3-64 hash in
/// `hashes` (reused by the dictionary and run-length encoders) and feeding valid values' hashes to `sketch`.
/// No allocation per value; min/max strings are materialised once at the end.
enum StatisticsCollector {
    static func collect(_ input: PageInput, hashes: UnsafeMutablePointer<UInt64>, sketch: HyperLogLog) -> PageStatistics {
        sketch.reset()
        let n = input.rows
        var stats = PageStatistics(nullCount: input.nullCount)
        guard n > 0 else { return stats }
        switch input.type {
        case .int32:
            let r = integers(input.values.assumingMemoryBound(to: Int32.self), input, hashes, sketch)
            stats.runCount = r.runs
            if let (lo, hi) = r.range { stats.min = .int(Int64(lo)); stats.max = .int(Int64(hi)) }
        case .int64:
            let r = integers(input.values.assumingMemoryBound(to: Int64.self), input, hashes, sketch)
            stats.runCount = r.runs
            if let (lo, hi) = r.range { stats.min = .int(lo); stats.max = .int(hi) }
        case .float64:
            let r = doubles(input, hashes, sketch)
            stats.runCount = r.runs
            if let (lo, hi) = r.range { stats.min = .double(lo); stats.max = .double(hi) }
        case .utf8:
            let r = strings(input, hashes, sketch)
            stats.runCount = r.runs
            if let (lo, hi) = r.range { stats.min = .string(lo); stats.max = .string(hi) }
        case .float32Vector:
            stats.runCount = opaque(input, hashes, sketch)
        }
        // Clamped to [1, valid rows]: the sketch can overshoot slightly.
        stats.distinctEstimate = n == input.nullCount ? 0 : min(n - input.nullCount, max(1, Int(sketch.estimate().rounded())))
        return stats
    }

    private static func integers<T: FixedWidthInteger>(_ p: UnsafePointer<T>, _ input: PageInput,
                                                       _ hashes: UnsafeMutablePointer<UInt64>, _ sketch: HyperLogLog)
        -> (runs: Int, range: (T, T)?)
    {
        let n = input.rows
        var lo = T.max, hi = T.min
        var runs = 1
        var prev = p[0]
        let size = MemoryLayout<T>.size
        if input.validity == nil {
            for i in 0..<n {
                let v = p[i]
                let h = xxh3Hash(p + i, size)
                hashes[i] = h
                sketch.add(hash: h)
                runs &+= v != prev ? 1 : 0
                prev = v
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
            }
            return (runs, (lo, hi))
        }
        var any = false
        for i in 0..<n {
            let v = p[i]
            let h = xxh3Hash(p + i, size)
            hashes[i] = h
            runs &+= v != prev ? 1 : 0
            prev = v
            if input.isValid(i) {
                any = true
                sketch.add(hash: h)
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
            }
        }
        return (runs, any ? (lo, hi) : nil)
    }

    private static func doubles(_ input: PageInput, _ hashes: UnsafeMutablePointer<UInt64>, _ sketch: HyperLogLog)
        -> (runs: Int, range: (Double, Double)?)
    {
        let n = input.rows
        let p = input.values.assumingMemoryBound(to: Double.self)
        let bits = input.values.assumingMemoryBound(to: UInt64.self)
        var lo = Double.infinity, hi = -Double.infinity
        var any = false
        var runs = 1
        var prev = bits[0]
        let checkValidity = input.validity != nil
        for i in 0..<n {
            let b = bits[i]
            let h = xxh3Hash(bits + i, 8)
            hashes[i] = h
            runs &+= b != prev ? 1 : 0
            prev = b
            if checkValidity && !input.isValid(i) { continue }
            sketch.add(hash: h)
            let v = p[i]
            if v.isNaN { continue }
            any = true
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        return (runs, any ? (lo, hi) : nil)
    }

    /// Order-preserving key of a string's first 8 bytes (big-endian, zero padded): if two keys differ, the
    /// strings compare the same way; if they are equal, compare the bytes.
    @inline(__always)
    static func prefixKey(_ p: UnsafeRawPointer, _ len: Int) -> UInt64 {
        if len >= 8 { return UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)) }
        var k: UInt64 = 0
        var i = 0
        while i < len {
            k |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) &<< UInt64(56 &- 8 &* i)
            i &+= 1
        }
        return k
    }

    private static func strings(_ input: PageInput, _ hashes: UnsafeMutablePointer<UInt64>, _ sketch: HyperLogLog)
        -> (runs: Int, range: (String, String)?)
    {
        let n = input.rows
        let o = input.offsets!
        let base = input.values
        var runs = 1
        var minRow = -1, maxRow = -1
        var minKey: UInt64 = 0, maxKey: UInt64 = 0
        var minLength = 0, maxLength = 0
        var prevHash: UInt64 = 0
        let checkValidity = input.validity != nil
        for i in 0..<n {
            let s = Int(o[i])
            let len = Int(o[i &+ 1]) &- s
            let p = base + s
            let h = xxh3Hash(p, len)
            hashes[i] = h
            if i > 0 && (h != prevHash || !input.equal(i &- 1, i)) { runs &+= 1 }
            prevHash = h
            if checkValidity && !input.isValid(i) { continue }
            sketch.add(hash: h)
            let key = prefixKey(p, len)
            if minRow < 0 {
                minRow = i; maxRow = i; minKey = key; maxKey = key; minLength = len; maxLength = len
                continue
            }
            // Equal keys: when both strings fit in the key (<= 8 bytes), the shorter one is smaller (its
            // zero padding sorts before any byte); only longer strings need the byte comparison.
            if key < minKey || (key == minKey && (len <= 8 && minLength <= 8 ? len < minLength : lessBytes(input, i, minRow))) {
                minRow = i; minKey = key; minLength = len
            }
            if key > maxKey || (key == maxKey && (len <= 8 && maxLength <= 8 ? maxLength < len : lessBytes(input, maxRow, i))) {
                maxRow = i; maxKey = key; maxLength = len
            }
        }
        guard minRow >= 0 else { return (runs, nil) }
        let (pl, ll) = input.bytes(minRow)
        let (ph, lh) = input.bytes(maxRow)
        return (runs, (String(decoding: UnsafeRawBufferPointer(start: pl, count: ll), as: UTF8.self),
                       String(decoding: UnsafeRawBufferPointer(start: ph, count: lh), as: UTF8.self)))
    }

    @inline(__always)
    private static func lessBytes(_ input: PageInput, _ a: Int, _ b: Int) -> Bool {
        let (pa, la) = input.bytes(a)
        let (pb, lb) = input.bytes(b)
        return compareBytes(UnsafeRawBufferPointer(start: pa, count: la), UnsafeRawBufferPointer(start: pb, count: lb)) < 0
    }

    /// Vectors: hashes, runs and distinct estimate only (no order).
    private static func opaque(_ input: PageInput, _ hashes: UnsafeMutablePointer<UInt64>, _ sketch: HyperLogLog) -> Int {
        let n = input.rows
        let w = input.width
        var runs = 1
        var prevHash: UInt64 = 0
        for i in 0..<n {
            let h = xxh3Hash(input.values + i &* w, w)
            hashes[i] = h
            if i > 0 && (h != prevHash || !input.equal(i &- 1, i)) { runs &+= 1 }
            prevHash = h
            if input.isValid(i) { sketch.add(hash: h) }
        }
        return runs
    }
}
