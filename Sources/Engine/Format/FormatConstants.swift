/// On-disk format version written by this engine (see docs/FORMAT.md).
public let engineFormatVersion: UInt32 = 1

/// The fixed numbers of the on-disk format, each named after the docs/FORMAT.md section that defines it.
enum FormatConstants {
    /// "Data files", "File header" and "Trailer": `H W D F`, the first and last 4 bytes of every data file.
    static let dataFileMagic: UInt32 = 0x4644_5748
    /// "File header": magic + format version.
    static let dataFileHeaderBytes = 8
    /// "Trailer": footer length, reserved word, footer checksum, format version, magic.
    static let dataFileTrailerBytes = 24

    /// "Pages": `H W P G`, the first 4 bytes of every page header.
    static let pageMagic: UInt32 = 0x4750_5748
    /// "Pages": the fixed header in front of every stored page body.
    static let pageHeaderBytes = 32
    /// "Pages": the largest uncompressed page body (2^30 bytes), so a damaged length cannot force a huge allocation.
    static let maximumPageBodyBytes = 1 << 30
    /// "Pages": the most rows one page may hold (2^24), so a damaged or crafted row count cannot drive a huge
    /// allocation (a run-length page of a few bytes could otherwise claim 2^32 rows).
    static let maximumPageRows = 1 << 24
    /// "Pages": the most bytes a page's values may take once decoded (2^30), whatever its encoding.
    static let maximumDecodedPageBytes = 1 << 30

    /// "Container": `H W M F`, the magic of a manifest.
    static let manifestMagic: UInt32 = 0x464D_5748
    /// "Container": `H W D L`, the magic of a deletion file.
    static let deletionFileMagic: UInt32 = 0x4C44_5748
    /// "Container": magic + format version + body length.
    static let containerHeaderBytes = 16
    /// "Container": the XXH3-64 after the body.
    static let containerTrailerBytes = 8
}
