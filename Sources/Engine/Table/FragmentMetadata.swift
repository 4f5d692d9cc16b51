/// One fragment of a dataset version: one data file plus an optional deletion file.
///
/// Paths are relative to the dataset root (`data/<name>.hwd`, `_deletions/<name>.del`), so a dataset
/// directory can be moved. Fragments returned by `FragmentWriter` are not part of any version until
/// committed; their `id` is assigned by the commit (`Dataset.commit(.append(...))`).
public struct FragmentMetadata: Sendable, Hashable {
    /// Fragment id, unique within the dataset's history (assigned at commit; 0 before).
    public var id: Int
    /// Data file path relative to the dataset root.
    public var dataFile: String
    /// Rows stored in the data file, deleted ones included.
    public var physicalRows: Int
    /// Size of the data file in bytes.
    public var fileBytes: Int
    /// Deletion file path relative to the dataset root, or nil when no row is deleted.
    public var deletionFile: String?
    /// Rows marked deleted by `deletionFile` (0 without one).
    public var deletedRows: Int

    /// - Parameters:
    ///   - id: fragment id (0 until committed).
    ///   - dataFile: data file path relative to the dataset root.
    ///   - physicalRows: rows in the data file.
    ///   - fileBytes: data file size in bytes.
    ///   - deletionFile: deletion file path relative to the dataset root, nil when none.
    ///   - deletedRows: rows the deletion file marks deleted.
    public init(id: Int = 0, dataFile: String, physicalRows: Int, fileBytes: Int,
                deletionFile: String? = nil, deletedRows: Int = 0) {
        self.id = id
        self.dataFile = dataFile
        self.physicalRows = physicalRows
        self.fileBytes = fileBytes
        self.deletionFile = deletionFile
        self.deletedRows = deletedRows
    }

    /// Live rows: `physicalRows - deletedRows`.
    @inlinable public var rows: Int { physicalRows - deletedRows }
}
