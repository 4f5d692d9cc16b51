/// Builders for session cache keys. Every key names the dataset (its path) and the version it belongs to, as Lance
/// does, so entries of older versions are never reused by newer ones and stay cached until evicted.
public enum CacheKey {
    /// Metadata cache key of a dataset's manifest at `version`.
    public static func manifest(path: String, version: Int) -> String {
        "\(path)#v\(version)#manifest"
    }

    /// Metadata cache key of a data file's footer as seen from dataset `version`.
    public static func footer(path: String, version: Int, file: String) -> String {
        "\(path)#v\(version)#footer#\(file)"
    }

    /// Metadata cache key of a deletion file as seen from dataset `version`.
    public static func deletionFile(path: String, version: Int, file: String) -> String {
        "\(path)#v\(version)#deletion#\(file)"
    }

    /// Index cache key of the merge-insert key index on `column` at `version`.
    public static func keyIndex(path: String, version: Int, column: String) -> String {
        "\(path)#v\(version)#keyindex#\(column)"
    }
}
