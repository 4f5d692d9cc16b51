import Foundation

/// SHA-256 digests in tests, computed by `/usr/bin/sha256sum` (coreutils) on files the test writes.
enum SHA256Sum {
    /// Lower-case hex digests of `files`, in order.
    static func hexDigests(of files: [URL]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = files.map(\.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "sha256sum", code: Int(process.terminationStatus))
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return lines.map { String($0.prefix(64)) }
    }

    /// Hex digest of `bytes`.
    static func hexDigest(of bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hw-sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        return try hexDigests(of: [url])[0]
    }
}

/// A file written through a C stdio stream (buffered, no per-write allocation).
final class RawFile {
    let url: URL
    private let file: UnsafeMutablePointer<FILE>

    init(directory: URL, name: String) throws {
        url = directory.appendingPathComponent(name)
        guard let f = fopen(url.path, "wb") else { throw NSError(domain: "fopen", code: Int(errno)) }
        file = f
        setvbuf(file, nil, _IOFBF, 1 << 20)
    }

    func write(_ p: UnsafeRawPointer, _ count: Int) {
        if count > 0 { precondition(fwrite(p, 1, count, file) == count) }
    }

    func close() { fclose(file) }
}
