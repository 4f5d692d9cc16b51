/// The one naming rule for new files in a dataset directory (docs/FORMAT.md, "Manifests and deletion files"):
/// data files are `data/<32 hex digits>.hwd`, deletion files `_deletions/<fragment id>-<version>-<hex>.del`.
/// Every writer (streaming and accumulate pipelines, `FragmentWriter`, merge-insert) names its files here.
enum DataFileName {
    /// Directory of the data files, relative to the dataset root.
    static let dataDirectory = "data"
    /// Directory of the deletion files, relative to the dataset root.
    static let deletionDirectory = "_deletions"

    /// A fresh data file path relative to the dataset root: `data/` + 32 random hex digits + `.hwd`.
    static func newDataFile() -> String {
        var g = SystemRandomNumberGenerator()
        let a = g.next() as UInt64, b = g.next() as UInt64
        return dataDirectory + "/" + hex16(a) + hex16(b) + ".hwd"
    }

    /// A fresh deletion file path relative to the dataset root for `fragmentId` in `version`.
    static func newDeletionFile(fragmentId: Int, version: Int) -> String {
        "\(deletionDirectory)/\(fragmentId)-\(version)-\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).del"
    }

    /// `v` as exactly 16 lowercase hex digits.
    private static func hex16(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
