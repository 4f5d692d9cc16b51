import Foundation
import XCTest
@testable import Workloads
import Engine

/// The `code_chunks` generator against the test vectors of WORKLOAD.md.
final class CodeChunksTests: XCTestCase {
    func testSplitMix64FirstOutputsForSeed42() {
        var rng = SplitMix64(seed: 42)
        let expected: [UInt64] = [0xbdd7_3226_2feb_6e95, 0x28ef_e333_b266_f103, 0x4752_6757_130f_9f52,
                                  0x581c_e1ff_0e4a_e394, 0x09bc_585a_2448_23f2]
        XCTAssertEqual((0..<5).map { _ in rng.next() }, expected)
        var skipped = SplitMix64(seed: 42, skipping: 3)
        XCTAssertEqual(skipped.next(), expected[3])
        XCTAssertEqual(SplitMix64.mix(42 &+ 5 &* SplitMix64.gamma), expected[4])
    }

    func testVocabularyMatchesVectors() throws {
        let words = CodeChunksVocabulary.words
        XCTAssertEqual(words.count, 256)
        XCTAssertEqual(Array(words.prefix(8)), ["wwvkt", "uhjziqgu", "fzjejpll", "ruv", "bucgizbm", "zdfnk", "gunocegy", "glz"])
        let joined = Array(words.map { $0 + "\n" }.joined().utf8)
        XCTAssertEqual(try SHA256Sum.hexDigest(of: joined), "ed2d147e3137ae96e4458713928d4a96663834d4ed02deefeef5cb1a0eb1fa83")
        // The padded byte table agrees with the words.
        let tables = CodeChunksTables.shared
        for (i, w) in words.enumerated() {
            XCTAssertEqual(Int(tables.wordLengths[i]), w.utf8.count)
            let slot = UnsafeRawBufferPointer(start: tables.wordSlots + i * CodeChunksTables.wordSlotBytes + 1, count: w.utf8.count)
            XCTAssertEqual(String(decoding: slot, as: UTF8.self), w)
        }
    }

    func testFirstThreeRows() {
        let batch = CodeChunksGenerator().batch(rows: 0..<3)
        typealias C = CodeChunksGenerator.Column
        XCTAssertEqual(batch.schema, CodeChunksGenerator.schema)
        XCTAssertEqual(batch.rowCount, 3)
        XCTAssertEqual((0..<3).map { batch.int64(column: C.id, row: $0) }, [0, 1, 2])
        XCTAssertEqual((0..<3).map { batch.utf8(column: C.filePath, row: $0) },
                       ["src/mod_413/file_413.swift", "src/mod_225/file_725.swift", "src/mod_297/file_4797.swift"])
        XCTAssertEqual((0..<3).map { batch.utf8(column: C.language, row: $0) }, ["go", "go", "cpp"])
        XCTAssertEqual((0..<3).map { batch.int32(column: C.startLine, row: $0) }, [3858, 1553, 4826])
        XCTAssertEqual((0..<3).map { batch.float64(column: C.score, row: $0) },
                       [0.7821562891438542, 0.30853542989080407, 0.16172420394647014])
        XCTAssertEqual(batch.utf8(column: C.content, row: 0),
                       "gry qfohjml gunocegy gobwaxd piai ropyt qybc stuthwa smerihui zglyflbch sthll wrfwuanc qfohjml hpwhu wjxpkct glz yjdslev")
        XCTAssertEqual(batch.utf8(column: C.content, row: 1),
                       "ljimuhdm qvhwi bvgxxybi khz ifu jcqec gcmq sxtzgx cqkjdc mrvsiiqb eqsjugei kyjdlf zkjnnfyp ljimuhdm hosuiiytt iuon zuqe")
        XCTAssertEqual(batch.utf8(column: C.content, row: 2),
                       "zuqe qfohjml kciwob fzjejpll avmtmzuu wkgat eymglwgv vja knoiloaqq legu qfgulfdz bvgxxybi nnhkwfe zqnzkhud zkhldotf")
    }

    /// Any row range gives the same rows as the same range cut from a larger batch (batch-size independence),
    /// and a reused generator gives the same batch twice.
    func testRowRangesAreIndependentOfBatching() {
        let generator = CodeChunksGenerator(batchCapacityRows: 64)
        let whole = generator.batch(rows: 0..<500)
        let part = generator.batch(rows: 437..<500)
        XCTAssertEqual(part, whole.slice(437..<500))
        XCTAssertEqual(generator.batch(rows: 437..<500), part)
        XCTAssertEqual(CodeChunksGenerator.batchRanges(totalRows: 25, batchSize: 10), [0..<10, 10..<20, 20..<25])
        XCTAssertEqual(generator.batch(rows: 5..<5).rowCount, 0)
    }

    /// The rule for content, checked against a slow String re-implementation for a few hundred rows.
    func testContentFollowsTheRule() {
        let batch = CodeChunksGenerator().batch(rows: 1_000..<1_300)
        let vocab = CodeChunksVocabulary.words
        for i in 0..<300 {
            var rng = SplitMix64(seed: 42, skipping: 34 * (1_000 + i))
            for _ in 0..<3 { _ = rng.next() }
            var content = ""
            var done = false
            for _ in 0..<30 {
                let w = vocab[Int(rng.next() & 0xFF)]
                let candidate = content.isEmpty ? w : content + " " + w
                if done || candidate.utf8.count > 120 { done = true; continue }
                content = candidate
            }
            XCTAssertEqual(batch.utf8(column: CodeChunksGenerator.Column.content, row: i), content)
            XCTAssertEqual(batch.float64(column: CodeChunksGenerator.Column.score, row: i), Double(rng.next() >> 11) * 0x1.0p-53)
        }
    }

    /// WORKLOAD.md §6 at 1M rows in batches of 10,000: sums, language counts, raw value bytes and the
    /// per-column sha256 of the canonical serialisation.
    func testOneMillionRowsMatchDigests() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-cc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = ["id", "file_path", "language", "start_line", "content", "score"]
        let files = try names.map { try RawFile(directory: dir, name: $0) }

        let batchSize = 10_000
        // A string column's values, each followed by "\n", gathered into one buffer per batch.
        let lineBuffer = UnsafeMutableRawPointer.allocate(byteCount: batchSize * 128, alignment: 16)
        defer { lineBuffer.deallocate() }
        var sumStartLine = 0
        var rawBytes = 0
        var stringBytes = [0, 0, 0, 0, 0, 0]
        var languageCounts = [Int](repeating: 0, count: 8)
        // Languages differ in (first byte, length).
        let languageIndex = Dictionary(uniqueKeysWithValues: CodeChunksVocabulary.languages.enumerated().map {
            (Int($1.utf8.first!) * 16 + $1.utf8.count, $0)
        })

        func writeLines(_ column: ColumnData, to file: RawFile) {
            let offsets = column.offsets!.pointer.assumingMemoryBound(to: Int32.self)
            let bytes = column.values.pointer
            var out = 0
            for r in 0..<column.length {
                let start = Int(offsets[r])
                let len = Int(offsets[r + 1]) - start
                (lineBuffer + out).copyMemory(from: bytes + start, byteCount: len)
                (lineBuffer + out + len).storeBytes(of: 0x0A, as: UInt8.self)
                out += len + 1
            }
            file.write(lineBuffer, out)
        }

        let generator = CodeChunksGenerator(batchCapacityRows: batchSize)
        for range in CodeChunksGenerator.batchRanges(totalRows: 1_000_000, batchSize: batchSize) {
            let batch = generator.batch(rows: range)
            for (c, column) in batch.columns.enumerated() {
                if column.type == .utf8 {
                    writeLines(column, to: files[c])
                    stringBytes[c] += column.values.count
                } else {
                    files[c].write(column.values.pointer, column.values.count)
                }
            }
            let startLines = batch.columns[CodeChunksGenerator.Column.startLine].values.pointer.assumingMemoryBound(to: Int32.self)
            let languages = batch.columns[CodeChunksGenerator.Column.language]
            for r in 0..<batch.rowCount {
                sumStartLine += Int(startLines[r])
                let lang = languages.utf8Bytes(r)
                languageCounts[languageIndex[Int(lang[0]) * 16 + lang.count]!] += 1
            }
            rawBytes += batch.rawValueBytes
        }
        files.forEach { $0.close() }

        XCTAssertEqual(sumStartLine, 4_999_779_829)
        XCTAssertEqual(stringBytes[CodeChunksGenerator.Column.content], 116_673_993)
        XCTAssertEqual(stringBytes[CodeChunksGenerator.Column.filePath], 26_557_566)
        XCTAssertEqual(languageCounts, [124813, 125264, 125038, 124911, 124494, 125333, 125125, 125022])
        XCTAssertEqual(rawBytes, 166_605_458)
        let digests = try SHA256Sum.hexDigests(of: files.map(\.url))
        XCTAssertEqual(digests, [
            "6f8f1531c1170336132e3a5cf9fde98aa28840393edd4387ab4d7c7e743586fb",
            "a159aaa443d2b4ba2183245f8624a8f3726a02b022beda0dbc56b2bc5b830201",
            "1ff27298a63b935adf72cf2f487944c2b2b8d5a62ae847ef39430aed4e14b0eb",
            "019978646254a7a083cb4eb46b5107d2eb294ea346a4c7c4ab1f523c8027bc43",
            "501a2d1aab0d81921b190e6bb8705491cca4618d1f0c07c80a56f0a1f9cd38dd",
            "ea2077a3ddcf2c26cb6315312a8bd6171262dc2680d04cce0e115ae956a861e0",
        ])
    }
}
