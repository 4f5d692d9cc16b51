/// What a `DatasetWriter` does with an existing dataset.
public enum WriteMode: String, Sendable, CaseIterable {
    /// Create the dataset if missing, else append to it (schemas must match). The default.
    case append
    /// Create the dataset; fail if one exists.
    case create
    /// Create the dataset if missing, else replace its fragments (and schema) in the first commit.
    case overwrite
}
