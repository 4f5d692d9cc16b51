import Foundation
@testable import Engine

/// The decoders the fuzz driver reaches, each with its seeds and the re-sealing that keeps checksums valid:
/// the data file footer and pages, manifests, deletion files and item chunk files.
enum FuzzTarget: String, CaseIterable {
    case dataFile = "datafile", manifest, deletionFile = "deletion", chunkFile = "chunk"

    /// What one execution found: the file decoded, or a typed engine error.
    enum Outcome { case decoded, typedError }

    /// Seeds: the committed corpus (Tests/EngineFuzzCorpus/<target>/), else built here.
    func seeds() throws -> [[UInt8]] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("EngineFuzzCorpus/\(rawValue)")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        if !names.isEmpty { return try names.map { [UInt8](try Data(contentsOf: directory.appendingPathComponent($0))) } }
        return try FuzzSeeds.build(self)
    }

    /// Mutates `seed` and re-seals its checksums.
    func mutate(_ seed: [UInt8], _ m: inout FuzzMutator) -> [UInt8] {
        var bytes = seed
        switch self {
        case .dataFile:
            let footer = CraftedFiles.footerRange(seed)
            let pageOffsets = FuzzSeeds.pageOffsets(seed)
            if m.below(2) == 0 || pageOffsets.isEmpty {
                var footerBytes = Array(seed[footer])
                m.mutate(&footerBytes, in: 0..<footerBytes.count, resizable: true)
                bytes = CraftedFiles.seal(Array(seed[..<footer.lowerBound]), footer: footerBytes)
            } else {
                let page = pageOffsets[m.below(pageOffsets.count)]
                m.mutate(&bytes, in: page, resizable: false)
                CraftedFiles.resealPage(&bytes, at: page.lowerBound)
            }
        case .manifest, .deletionFile:
            let body = ChecksummedContainer.headerBytes ..< (bytes.count - ChecksummedContainer.trailerBytes)
            m.mutate(&bytes, in: body, resizable: true)
            CraftedFiles.resealContainer(&bytes)
        case .chunkFile:
            m.mutate(&bytes, in: 0..<bytes.count, resizable: true)
            if m.below(8) == 0 { bytes.removeLast(m.below(bytes.count)) }
        }
        return bytes
    }

    /// Decodes `bytes` all the way (every page, every item). Throws what is not a typed error of the format.
    func run(_ bytes: [UInt8], scratch: URL) throws -> Outcome {
        do {
            switch self {
            case .dataFile:
                try Data(bytes).write(to: scratch)
                let reader = try DataFileReader(url: scratch)
                let all = try reader.readAll()
                _ = all.rawValueBytes
            case .manifest:
                let manifest = try bytes.withUnsafeBytes { try Manifest.deserialize($0, file: "manifest") }
                _ = (manifest.rowCount, manifest.dataBytes)
            case .deletionFile:
                _ = try bytes.withUnsafeBytes { try DeletionFile.deserialize($0, file: "deletion") }
            case .chunkFile:
                try bytes.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress else { throw ItemLoaderError.truncated(file: "chunk", offset: 0) }
                    let (count, wide) = try ChunkFile.validateHeader(base, availableBytes: raw.count, fileBytes: raw.count, file: "chunk")
                    var total = 0
                    for i in 0..<count {
                        let s = ChunkFile.offset(base, wideOffsets: wide, index: i), e = ChunkFile.offset(base, wideOffsets: wide, index: i + 1)
                        precondition(s <= e && e <= raw.count, "item \(i) outside the chunk")
                        for j in s..<e { total &+= Int(raw[j]) }
                    }
                    _ = total
                }
            }
            return .decoded
        } catch is EngineError {
            return .typedError
        } catch is ItemLoaderError {
            return .typedError
        }
    }
}
