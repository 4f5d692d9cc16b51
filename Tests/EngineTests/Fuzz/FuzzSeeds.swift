import Foundation
@testable import Engine

/// Builds the fuzz seeds (and writes the committed corpus: `HW_FUZZ_WRITE_CORPUS=DIR`).
enum FuzzSeeds {
    static func build(_ target: FuzzTarget) throws -> [[UInt8]] {
        switch target {
        case .dataFile: return try dataFiles()
        case .manifest: return try manifests()
        case .deletionFile: return try [DeletionFile(fragmentId: 3, deletedOffsets: [0, 5, 9, 200]).serialized(),
                                        DeletionFile(fragmentId: 0, deletedOffsets: []).serialized()]
        case .chunkFile:
            var narrow = ChunkFileBuilder()
            for i in 0..<6 { narrow.append(Array(repeating: UInt8(i), count: i * 3)) }
            var wide = ChunkFileBuilder(forceWideOffsets: true)
            for i in 0..<4 { wide.append(Array("item-\(i)".utf8)) }
            return [narrow.encoded(), wide.encoded()]
        }
    }

    /// Small data files over every column type and encoding, compressed and not, with nulls.
    static func dataFiles() throws -> [[UInt8]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hw-fuzz-seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var seeds: [[UInt8]] = []
        for (i, encoding) in [PageEncoding.plain, .dictionary, .runLength, nil].enumerated() {
            let batches = DatasetFixtures.batches(count: 2, rows: 24, seed: UInt64(40 + i))
            let url = directory.appendingPathComponent("\(i).hwd")
            let writer = try DataFileWriter(url: url, schema: DatasetFixtures.schema)
            for b in batches { try writer.write(b, options: EncodingOptions(compressionLevel: i % 2, forcedEncoding: encoding)) }
            _ = try writer.finish(sync: false)
            seeds.append([UInt8](try Data(contentsOf: url)))
        }
        return seeds
    }

    static func manifests() throws -> [[UInt8]] {
        let fragments = [FragmentMetadata(id: 0, dataFile: "data/a.hwd", physicalRows: 100, fileBytes: 4096),
                         FragmentMetadata(id: 1, dataFile: "data/b.hwd", physicalRows: 50, fileBytes: 2048,
                                          deletionFile: "_deletions/1-3-ff.del", deletedRows: 2)]
        return try [Manifest(version: 3, schema: DatasetFixtures.schema, fragments: fragments, nextFragmentId: 2).serialized(),
                    Manifest(version: 1, schema: DatasetFixtures.schema, fragments: [], nextFragmentId: 0).serialized()]
    }

    /// Byte ranges of the pages a data file's footer lists (empty when it does not parse).
    static func pageOffsets(_ file: [UInt8]) -> [Range<Int>] {
        let footer = CraftedFiles.footerRange(file)
        guard footer.lowerBound >= DataFileFooter.headerBytes,
              let parsed = try? file.withUnsafeBytes({ raw in
                  try DataFileFooter.parse(UnsafeRawBufferPointer(rebasing: raw[footer]), file: "seed", offset: footer.lowerBound,
                                           pagesRegion: DataFileFooter.headerBytes ..< footer.lowerBound)
              }) else { return [] }
        return parsed.pages.flatMap { $0.map { $0.offset ..< ($0.offset + $0.byteCount) } }
    }
}
