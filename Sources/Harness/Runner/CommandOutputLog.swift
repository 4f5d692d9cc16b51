import Foundation
import RunContract

/// An external command's stdout, minus the protocol lines, in `logs/<run_id>.out`; keeps the last three lines for
/// the `error` column.
final class CommandOutputLog {
    private let handle: FileHandle?
    private(set) var tail: [String] = []

    init(path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)
    }

    func write(_ line: Substring) {
        guard !line.hasPrefix("highwater: ") else { return }
        handle?.write(Data((line + "\n").utf8))
        tail.append(String(line.prefix(300)))
        if tail.count > 3 { tail.removeFirst() }
    }

    func close() { try? handle?.close() }
}
