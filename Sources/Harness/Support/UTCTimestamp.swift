import Foundation

/// UTC timestamps through the C library (`gmtime_r` + `strftime`): Foundation's date formatters load ICU, which
/// costs the parent about 5.5 MB of resident memory (measured), and every child's `ru_maxrss` starts from it when
/// spawned directly.
public enum UTCTimestamp {
    /// `2026-12-04T12:00:00Z` (ISO 8601, seconds).
    public static func iso8601(_ date: Date = Date()) -> String { format(date, "%Y-%m-%dT%H:%M:%SZ") }

    /// `20261204-120000`: the default sweep name.
    public static func compact(_ date: Date = Date()) -> String { format(date, "%Y%m%d-%H%M%S") }

    static func format(_ date: Date, _ pattern: String) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
