/// The fixed value tables of the `code_chunks` workload (WORKLOAD.md §2-§3): the 256-word
/// vocabulary, the 5000 file paths and the 8 language names, each kept as a padded byte table so
/// the generator copies a value with a few fixed-size loads and stores instead of building a String.
public enum CodeChunksVocabulary {
    /// PRNG seed of the vocabulary.
    public static let seed: UInt64 = 7
    /// Number of words.
    public static let wordCount = 256
    /// Number of distinct file paths.
    public static let filePathCount = 5_000
    /// Number of directories the paths are spread over (`src/mod_<f % 500>/...`).
    public static let directoryCount = 500
    /// The language names, indexed by `d1 % 8`.
    public static let languages = ["swift", "rust", "python", "go", "java", "c", "cpp", "ts"]

    /// The 256 words in order (3...9 letters each).
    public static let words: [String] = {
        var rng = SplitMix64(seed: seed)
        var out: [String] = []
        out.reserveCapacity(wordCount)
        for _ in 0..<wordCount {
            let n = 3 + Int(rng.next() % 7)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(n)
            for _ in 0..<n { bytes.append(UInt8(97 + rng.next() % 26)) }
            out.append(String(decoding: bytes, as: UTF8.self))
        }
        return out
    }()

    /// File path number `index` (0..<5000): `src/mod_<index % 500>/file_<index>.swift`.
    public static func filePath(_ index: Int) -> String {
        "src/mod_\(index % directoryCount)/file_\(index).swift"
    }
}

/// The padded byte tables the generator copies from. Allocated once for the life of the process.
///
/// - `wordSlots`: 16 bytes per word: a space, the word's letters, zero padding (`wordSlotBytes`).
///   A word preceded by a space is the 16 bytes at `slot`, a word alone the 16 bytes at `slot + 1`
///   (the table has 16 bytes of tail padding so that read stays inside it).
/// - `pathSlots`: 32 bytes per path (`pathSlotBytes`), the longest path being 27 bytes.
/// - `languageSlots`: 8 bytes per language.
final class CodeChunksTables: @unchecked Sendable {
    static let wordSlotBytes = 16
    static let pathSlotBytes = 32
    static let languageSlotBytes = 8

    static let shared = CodeChunksTables()

    let wordSlots: UnsafeMutableRawPointer
    let wordLengths: UnsafeMutablePointer<UInt8>
    let pathSlots: UnsafeMutableRawPointer
    let pathLengths: UnsafeMutablePointer<UInt8>
    let languageSlots: UnsafeMutableRawPointer
    let languageLengths: UnsafeMutablePointer<UInt8>

    private init() {
        let words = CodeChunksVocabulary.words
        let wordTableBytes = words.count * Self.wordSlotBytes + Self.wordSlotBytes
        let wordSlots = UnsafeMutableRawPointer.allocate(byteCount: wordTableBytes, alignment: 16)
        wordSlots.initializeMemory(as: UInt8.self, repeating: 0, count: wordTableBytes)
        let wordLengths = UnsafeMutablePointer<UInt8>.allocate(capacity: words.count)
        for (i, word) in words.enumerated() {
            let slot = wordSlots + i * Self.wordSlotBytes
            slot.storeBytes(of: UInt8(ascii: " "), as: UInt8.self)
            var j = 1
            for b in word.utf8 {
                (slot + j).storeBytes(of: b, as: UInt8.self)
                j += 1
            }
            wordLengths[i] = UInt8(word.utf8.count)
        }

        let n = CodeChunksVocabulary.filePathCount
        let pathSlots = UnsafeMutableRawPointer.allocate(byteCount: n * Self.pathSlotBytes, alignment: 16)
        pathSlots.initializeMemory(as: UInt8.self, repeating: 0, count: n * Self.pathSlotBytes)
        let pathLengths = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        for i in 0..<n {
            let path = Array(CodeChunksVocabulary.filePath(i).utf8)
            precondition(path.count <= Self.pathSlotBytes)
            path.withUnsafeBytes { (pathSlots + i * Self.pathSlotBytes).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            pathLengths[i] = UInt8(path.count)
        }

        let langs = CodeChunksVocabulary.languages
        let languageSlots = UnsafeMutableRawPointer.allocate(byteCount: langs.count * Self.languageSlotBytes, alignment: 8)
        languageSlots.initializeMemory(as: UInt8.self, repeating: 0, count: langs.count * Self.languageSlotBytes)
        let languageLengths = UnsafeMutablePointer<UInt8>.allocate(capacity: langs.count)
        for (i, lang) in langs.enumerated() {
            let bytes = Array(lang.utf8)
            bytes.withUnsafeBytes {
                (languageSlots + i * Self.languageSlotBytes).copyMemory(from: $0.baseAddress!, byteCount: $0.count)
            }
            languageLengths[i] = UInt8(bytes.count)
        }
        self.wordSlots = wordSlots
        self.wordLengths = wordLengths
        self.pathSlots = pathSlots
        self.pathLengths = pathLengths
        self.languageSlots = languageSlots
        self.languageLengths = languageLengths
    }
}
