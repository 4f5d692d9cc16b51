import XCTest
import Foundation
@testable import Engine

/// A seeded mutation fuzzer over the engine's on-disk decoders, run as a test: for each target (data file
/// footer and pages, manifest, deletion file, item chunk file) it mutates seeds, re-seals their checksums and
/// decodes the result fully. Every execution must decode or throw a typed error; a crash or trap fails the run.
///
/// `HW_FUZZ_SECONDS` sets the time per target (default 3 s in release, 1 s in debug; `make fuzz` sets more),
/// `HW_FUZZ_SEED` the seed (default 13). Prints executions and outcomes per target.
final class FuzzTests: XCTestCase {
    func testMutatedFilesDecodeOrGiveTypedErrors() throws {
        let environment = ProcessInfo.processInfo.environment
        #if DEBUG
        let defaultSeconds = 1.0
        #else
        let defaultSeconds = 3.0
        #endif
        let seconds = environment["HW_FUZZ_SECONDS"].flatMap(Double.init) ?? defaultSeconds
        let seed = environment["HW_FUZZ_SEED"].flatMap(UInt64.init) ?? 13
        let directory = DatasetFixtures.temporaryDirectory("fuzz")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for target in FuzzTarget.allCases {
            let seeds = try target.seeds()
            XCTAssertFalse(seeds.isEmpty, "\(target)")
            // Every seed decodes as it is: the mutations start from valid files.
            for s in seeds { XCTAssertEqual(try target.run(s, scratch: directory.appendingPathComponent("seed")), .decoded, "\(target) seed") }
            var mutator = FuzzMutator(random: TestRandom(seed: seed &+ UInt64(target.rawValue.utf8.count)))
            var executions = 0, decoded = 0, rejected = 0
            let scratch = directory.appendingPathComponent("\(target.rawValue).bin")
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                for _ in 0..<64 {
                    let input = target.mutate(seeds[mutator.below(seeds.count)], &mutator)
                    switch try target.run(input, scratch: scratch) {
                    case .decoded: decoded += 1
                    case .typedError: rejected += 1
                    }
                    executions += 1
                }
            }
            XCTAssertGreaterThan(rejected, 0, "\(target): no mutation was rejected")
            print("fuzz \(target.rawValue): \(executions) executions in \(seconds) s (seed \(seed)): \(decoded) decoded, \(rejected) typed errors, 0 crashes")
        }
    }

    /// `HW_FUZZ_WRITE_CORPUS=DIR` writes the seeds to DIR/<target>/ (how Tests/EngineFuzzCorpus was made).
    func testWriteCorpusWhenAsked() throws {
        guard let out = ProcessInfo.processInfo.environment["HW_FUZZ_WRITE_CORPUS"] else {
            throw XCTSkip("set HW_FUZZ_WRITE_CORPUS=DIR to write the seed corpus")
        }
        for target in FuzzTarget.allCases {
            let dir = URL(fileURLWithPath: out).appendingPathComponent(target.rawValue)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (i, s) in try FuzzSeeds.build(target).enumerated() { try Data(s).write(to: dir.appendingPathComponent("seed-\(i).bin")) }
        }
    }
}
