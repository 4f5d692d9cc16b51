import Foundation

/// What a commit changes, applied on top of the newest version at commit time (so a commit that lost
/// a race is re-applied to the winner's version when retried).
public enum CommitOperation: Sendable {
    /// Adds fragments (from `FragmentWriter` or a writer); they get fresh ids at commit.
    case append([FragmentMetadata])
    /// Replaces every fragment with these (fresh ids), optionally with a new schema (default: the schema of
    /// the version the committer started from).
    case overwrite([FragmentMetadata], schema: Schema? = nil)
    /// Marks physical row offsets deleted per fragment id (merged with rows already deleted) and adds
    /// fragments (e.g. merge-insert's updated and inserted rows). A fragment whose every row ends up
    /// deleted is dropped from the version.
    /// Throws `EngineError.commitConflict` (not retried) if a fragment to delete from no longer exists.
    /// `.append` and `.update` also conflict (not retried) when a concurrent commit changed the schema.
    case update(deletions: [Int: [UInt32]], added: [FragmentMetadata])

    /// Short name for logs and errors.
    public var name: String {
        switch self {
        case .append: return "append"
        case .overwrite: return "overwrite"
        case .update: return "update"
        }
    }

    /// Builds version `base.version + 1` from `base`, writing any deletion files under `root`.
    /// - Parameter schema: the schema the operation's fragments were written with (the committer's view).
    /// - Returns: the new manifest and the bytes of deletion files written.
    /// - Throws: `EngineError.commitConflict` when `base` (a concurrent commit's result) has another schema
    ///   and the operation adds to it rather than replacing it.
    func apply(to base: Manifest, schema: Schema, root: URL) throws -> (manifest: Manifest, bytesWritten: Int) {
        let newVersion = base.version + 1
        var next = base.nextFragmentId
        func assignIds(_ fragments: [FragmentMetadata]) -> [FragmentMetadata] {
            fragments.map { f in
                var f = f
                f.id = next
                next += 1
                return f
            }
        }
        switch self {
        case .overwrite:
            break
        case .append, .update:
            guard base.schema == schema else { throw EngineError.commitConflict(version: base.version) }
        }
        switch self {
        case .append(let added):
            let fragments = base.fragments + assignIds(added)
            return (Manifest(version: newVersion, schema: base.schema, fragments: fragments, nextFragmentId: next), 0)
        case .overwrite(let added, let newSchema):
            let fragments = assignIds(added)
            return (Manifest(version: newVersion, schema: newSchema ?? schema, fragments: fragments, nextFragmentId: next), 0)
        case .update(let deletions, let added):
            var fragments = base.fragments
            var written = 0
            var index: [Int: Int] = [:]
            for (i, f) in fragments.enumerated() { index[f.id] = i }
            var dropped = Set<Int>()
            for (fragmentId, offsets) in deletions.sorted(by: { $0.key < $1.key }) where !offsets.isEmpty {
                guard let i = index[fragmentId] else { throw EngineError.commitConflict(version: base.version) }
                var f = fragments[i]
                if let bad = offsets.first(where: { Int($0) >= f.physicalRows }) {
                    throw EngineError.invalidArgument(reason: "row offset \(bad) out of range for fragment \(fragmentId) (\(f.physicalRows) rows)")
                }
                var deletion = DeletionFile(fragmentId: fragmentId, deletedOffsets: offsets)
                if let existing = f.deletionFile {
                    deletion = try DeletionFile.read(root: root, relativePath: existing).union(offsets)
                }
                if deletion.count == f.physicalRows {
                    dropped.insert(fragmentId)
                    continue
                }
                let relative = DataFileName.newDeletionFile(fragmentId: fragmentId, version: newVersion)
                written += try deletion.write(root: root, relativePath: relative)
                f.deletionFile = relative
                f.deletedRows = deletion.count
                fragments[i] = f
            }
            if !dropped.isEmpty { fragments.removeAll { dropped.contains($0.id) } }
            fragments += assignIds(added)
            return (Manifest(version: newVersion, schema: base.schema, fragments: fragments, nextFragmentId: next), written)
        }
    }
}
