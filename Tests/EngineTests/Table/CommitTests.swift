import XCTest
import Foundation
@testable import Engine

/// Manifests, version store, atomic commit, conflicts and retries, deletion files.
final class CommitTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hw-commit-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    static let schema = Schema(fields: [
        Field(name: "id", type: .int64),
        Field(name: "name", type: .utf8, nullable: true),
        Field(name: "v", type: .float32Vector(dimension: 3)),
    ])

    func fragment(_ file: String, rows: Int) -> FragmentMetadata {
        FragmentMetadata(dataFile: "data/\(file).hwd", physicalRows: rows, fileBytes: rows * 10)
    }

    func testManifestRoundTrip() throws {
        let m = Manifest(version: 7, timestampNanoseconds: 123_456_789, schema: Self.schema,
                         fragments: [FragmentMetadata(id: 0, dataFile: "data/a.hwd", physicalRows: 100, fileBytes: 4096),
                                     FragmentMetadata(id: 3, dataFile: "data/b.hwd", physicalRows: 50, fileBytes: 999,
                                                      deletionFile: "_deletions/3-7-x.del", deletedRows: 5)],
                         nextFragmentId: 4)
        let bytes = try m.serialized()
        let back = try bytes.withUnsafeBytes { try Manifest.deserialize($0, file: "m") }
        XCTAssertEqual(back, m)
        XCTAssertEqual(back.rowCount, 145)
    }

    func testCreateOpenAppendAndCheckout() throws {
        let v1 = try Dataset.create(at: root, schema: Self.schema)
        XCTAssertEqual(v1.version, 1)
        XCTAssertEqual(v1.countRows(), 0)
        let v2 = try v1.commit(.append([fragment("a", rows: 10), fragment("b", rows: 20)]))
        XCTAssertEqual(v2.version, 2)
        XCTAssertEqual(v2.fragments.map(\.id), [0, 1])
        let v3 = try v2.commit(.append([fragment("c", rows: 5)]))
        XCTAssertEqual(v3.countRows(), 35)
        XCTAssertEqual(v3.fragments.map(\.id), [0, 1, 2])
        let v4 = try v3.commit(.overwrite([fragment("d", rows: 7)]))
        XCTAssertEqual(v4.countRows(), 7)
        XCTAssertEqual(v4.fragments.map(\.id), [3])

        XCTAssertEqual(try Dataset.versions(at: root), [1, 2, 3, 4])
        let latest = try Dataset.open(at: root)
        XCTAssertEqual(latest.version, 4)
        XCTAssertEqual(latest.manifest, v4.manifest)
        let old = try Dataset.open(at: root, version: 2)
        XCTAssertEqual(old.countRows(), 30)
        XCTAssertEqual(old.schema, Self.schema)
        XCTAssertEqual(try latest.checkout(version: 3).countRows(), 35)
        XCTAssertThrowsError(try Dataset.open(at: root, version: 9)) { error in
            XCTAssertEqual(error as? EngineError, .versionNotFound(path: self.root.path, version: 9))
        }
        XCTAssertThrowsError(try Dataset.create(at: root, schema: Self.schema))
    }

    func testOpenMissingDataset() {
        XCTAssertFalse(Dataset.exists(at: root))
        XCTAssertThrowsError(try Dataset.open(at: root)) { error in
            guard case EngineError.missingFile = error else { return XCTFail("\(error)") }
        }
    }

    func testStaleCommitIsRebasedOnTheWinner() throws {
        let v1 = try Dataset.create(at: root, schema: Self.schema)
        // Two committers both start from version 1.
        let a = try v1.commit(.append([fragment("a", rows: 1)]))
        XCTAssertEqual(a.commitRetries, 0)
        let b = try v1.commit(.append([fragment("b", rows: 2)]), retryPolicy: CommitRetryPolicy(maxAttempts: 3, baseDelayMicros: 1))
        XCTAssertEqual(b.commitRetries, 1)
        XCTAssertEqual(b.version, 3)
        // b was re-applied on top of a: both fragments, distinct ids.
        XCTAssertEqual(b.fragments.map(\.dataFile), ["data/a.hwd", "data/b.hwd"])
        XCTAssertEqual(Set(b.fragments.map(\.id)).count, 2)
    }

    func testAppendAfterAConcurrentSchemaChangeConflicts() throws {
        let v1 = try Dataset.create(at: root, schema: Self.schema)
        let other = Schema(fields: [Field(name: "x", type: .int32)])
        _ = try v1.commit(.overwrite([fragment("o", rows: 3)], schema: other))
        // v1's writer lost the race to a schema change: its fragments cannot join the new version.
        XCTAssertThrowsError(try v1.commit(.append([fragment("a", rows: 1)]), retryPolicy: CommitRetryPolicy(maxAttempts: 3, baseDelayMicros: 1))) {
            XCTAssertEqual($0 as? EngineError, .commitConflict(version: 2))
        }
        // An overwrite from the stale view still wins, with the committer's schema.
        let v3 = try v1.commit(.overwrite([fragment("b", rows: 2)]), retryPolicy: CommitRetryPolicy(maxAttempts: 3, baseDelayMicros: 1))
        XCTAssertEqual(v3.version, 3)
        XCTAssertEqual(v3.schema, Self.schema)
        XCTAssertEqual(v3.countRows(), 2)
    }

    func testRetriesExhausted() throws {
        let v1 = try Dataset.create(at: root, schema: Self.schema)
        // Another committer took version 2 behind v1's back; a policy of one attempt gives up at once.
        _ = try v1.commit(.append([fragment("a", rows: 1)]))
        XCTAssertThrowsError(try v1.commit(.append([fragment("b", rows: 1)]), retryPolicy: CommitRetryPolicy(maxAttempts: 1))) { error in
            guard case EngineError.commitRetriesExhausted(let attempts) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(attempts, 1)
        }
        XCTAssertEqual(try Dataset.versions(at: root), [1, 2])
    }

    func testConcurrentCommittersAllLand() throws {
        let v1 = try Dataset.create(at: root, schema: Self.schema)
        let threads = 4, commitsPerThread = 10
        let fragments = (0..<threads).map { t in (0..<commitsPerThread).map { c in fragment("t\(t)-c\(c)", rows: 1) } }
        let outcome = CommitOutcomes()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var view = v1
            for c in 0..<commitsPerThread {
                do {
                    view = try view.commit(.append([fragments[t][c]]),
                                           retryPolicy: CommitRetryPolicy(maxAttempts: 200, baseDelayMicros: 10, maxDelayMicros: 2_000))
                    outcome.add(retries: view.commitRetries)
                } catch {
                    outcome.add(error: error)
                }
            }
        }
        XCTAssertTrue(outcome.errors.isEmpty, "\(outcome.errors)")
        let latest = try Dataset.open(at: root)
        XCTAssertEqual(latest.version, 1 + threads * commitsPerThread)
        XCTAssertEqual(latest.countRows(), threads * commitsPerThread)
        XCTAssertEqual(Set(latest.fragments.map(\.dataFile)).count, threads * commitsPerThread)
        XCTAssertEqual(Set(latest.fragments.map(\.id)).count, threads * commitsPerThread)
        XCTAssertEqual(try Dataset.versions(at: root), Array(1...(1 + threads * commitsPerThread)))
    }

    func testRenameFallbackAlsoDetectsConflicts() throws {
        ManifestStore.useRenameOnly = true
        defer { ManifestStore.useRenameOnly = false }
        let v1 = try Dataset.create(at: root, schema: Self.schema)
        _ = try v1.commit(.append([fragment("a", rows: 1)]))
        let b = try v1.commit(.append([fragment("b", rows: 2)]), retryPolicy: CommitRetryPolicy(maxAttempts: 3, baseDelayMicros: 1))
        XCTAssertEqual(b.commitRetries, 1)
        XCTAssertEqual(b.version, 3)
        XCTAssertEqual(try Dataset.open(at: root).countRows(), 3)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("_versions").path)
            .filter { $0.hasPrefix(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testRetryPolicyBackoffGrowsAndIsCapped() {
        let p = CommitRetryPolicy(maxAttempts: 10, baseDelayMicros: 100, maxDelayMicros: 1_000)
        XCTAssertEqual(p.ceilingMicros(afterAttempt: 1), 100)
        XCTAssertEqual(p.ceilingMicros(afterAttempt: 2), 200)
        XCTAssertEqual(p.ceilingMicros(afterAttempt: 4), 800)
        XCTAssertEqual(p.ceilingMicros(afterAttempt: 5), 1_000)
        XCTAssertEqual(p.ceilingMicros(afterAttempt: 80), 1_000)
        var g = SystemRandomNumberGenerator()
        for attempt in 1...8 {
            let d = p.delayMicros(afterAttempt: attempt, using: &g)
            XCTAssertTrue(d >= 0 && d <= p.ceilingMicros(afterAttempt: attempt))
        }
    }

    func testDeletionsMergeAndDropFullyDeletedFragments() throws {
        var ds = try Dataset.create(at: root, schema: Self.schema)
        ds = try ds.commit(.append([fragment("a", rows: 10), fragment("b", rows: 3)]))
        ds = try ds.commit(.update(deletions: [0: [1, 5, 5]], added: []))
        XCTAssertEqual(ds.countRows(), 11)
        XCTAssertEqual(try ds.deletionFile(of: ds.fragments[0])?.deletedOffsets, [1, 5])
        ds = try ds.commit(.update(deletions: [0: [9, 1], 1: [0, 1, 2]], added: [fragment("c", rows: 4)]))
        XCTAssertEqual(ds.fragments.map(\.id), [0, 2])
        XCTAssertEqual(try ds.deletionFile(of: ds.fragments[0])?.deletedOffsets, [1, 5, 9])
        XCTAssertEqual(ds.countRows(), 7 + 4)
        // The older version still sees its own deletion file.
        let v3 = try ds.checkout(version: 3)
        XCTAssertEqual(try v3.deletionFile(of: v3.fragments[0])?.deletedOffsets, [1, 5])
        // Deleting from a fragment that is gone is a conflict; an offset beyond the fragment is rejected.
        XCTAssertThrowsError(try ds.commit(.update(deletions: [1: [0]], added: []))) { error in
            guard case EngineError.commitConflict = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try ds.commit(.update(deletions: [0: [10]], added: [])))
    }

    func testDeletionFileRoundTripAndLookup() throws {
        let d = DeletionFile(fragmentId: 12, deletedOffsets: [9, 3, 3, 100, 0])
        XCTAssertEqual(d.deletedOffsets, [0, 3, 9, 100])
        XCTAssertTrue(d.contains(9))
        XCTAssertFalse(d.contains(10))
        let back = try d.serialized().withUnsafeBytes { try DeletionFile.deserialize($0, file: "d") }
        XCTAssertEqual(back, d)
    }

    func testSessionCachesManifestsPerVersion() throws {
        let session = Session(indexCacheBytes: 1 << 20, metadataCacheBytes: 1 << 20)
        var ds = try Dataset.create(at: root, schema: Self.schema, session: session)
        for i in 0..<5 { ds = try ds.commit(.append([fragment("f\(i)", rows: 1)])) }
        XCTAssertEqual(session.metadataCache.statistics.entries, 6)
        let before = session.metadataCache.statistics.hits
        let reopened = try Dataset.open(at: root, version: 3, session: session)
        XCTAssertEqual(reopened.countRows(), 2)
        XCTAssertEqual(session.metadataCache.statistics.hits, before + 1)
    }

    func testOrphanedTemporaryFilesAreIgnored() throws {
        let ds = try Dataset.create(at: root, schema: Self.schema)
        let tmp = root.appendingPathComponent("_versions/.tmp-1-2")
        try Data([1, 2, 3]).write(to: tmp)
        XCTAssertEqual(try Dataset.versions(at: root), [1])
        XCTAssertEqual(try Dataset.open(at: root).version, ds.version)
    }
}

/// What concurrent committers report, shared between threads.
private final class CommitOutcomes: @unchecked Sendable {  // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var collectedErrors: [Error] = []
    private var retries = 0
    func add(retries n: Int) { lock.lock(); retries += n; lock.unlock() }
    func add(error: Error) { lock.lock(); collectedErrors.append(error); lock.unlock() }
    var errors: [Error] { lock.lock(); defer { lock.unlock() }; return collectedErrors }
}
