import Foundation
import RunContract

/// A set of results to compare: a baseline file or a result directory, read into one shape.
public struct ResultSet: Sendable, Codable, Equatable {
    /// Schema tag of baseline files.
    public static let schema = "highwater-baseline/1"

    public var schema: String
    /// Baseline name (`main`), or the directory's name for a result directory.
    public var name: String
    /// When the baseline was saved (ISO 8601), nil for a result directory.
    public var created: String?
    /// Where the results were read from.
    public var source: String
    public var environment: BaselineEnvironment
    public var configurations: [ConfigurationResults]

    public init(name: String, created: String? = nil, source: String, environment: BaselineEnvironment, configurations: [ConfigurationResults]) {
        self.schema = Self.schema
        self.name = name
        self.created = created
        self.source = source
        self.environment = environment
        self.configurations = configurations
    }

    /// The baseline file's JSON: sorted keys, pretty printed with each metric's repeats on one line, so committed
    /// baselines stay small and diff well.
    public func encoded() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try enc.encode(self), as: UTF8.self)
        // Collapse arrays of numbers (and empty arrays) onto one line: `[ 1, 2.5, 3 ]`.
        let pattern = try NSRegularExpression(pattern: #"\[\s*((?:-?[0-9][0-9.eE+-]*\s*,\s*)*-?[0-9][0-9.eE+-]*)?\s*\]"#)
        let ns = text as NSString
        var out = ""
        var last = 0
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let inner = m.range(at: 1).location == NSNotFound ? "" : ns.substring(with: m.range(at: 1))
            let values = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            out += values.isEmpty ? "[ ]" : "[ " + values.joined(separator: ", ") + " ]"
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return Data(out.utf8)
    }

    /// Writes the baseline file to `url` (creating its directory).
    public func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try OutputFile.replace(url, with: try encoded())
    }

    /// Reads a baseline file. Errors (exit 2) name the file, the field and the value: missing file,
    /// malformed JSON, wrong schema, missing or mistyped fields.
    public static func readBaseline(from url: URL) throws -> ResultSet {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw HarnessError(source: path, reason: "cannot read the baseline file (\(FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file"))")
        }
        return try decodeBaseline(data, file: path)
    }

    /// Decodes baseline JSON; `file` names the source in errors.
    public static func decodeBaseline(_ data: Data, file: String) throws -> ResultSet {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw HarnessError(source: file, reason: "malformed JSON (\(Self.jsonErrorDetail(error)))")
        }
        guard let dict = object as? [String: Any] else {
            throw HarnessError(source: file, reason: "not a baseline: the top level must be a JSON object")
        }
        guard let schema = dict["schema"] else {
            throw HarnessError(source: file, field: "schema", reason: "missing (expected \"\(Self.schema)\")")
        }
        guard let s = schema as? String, s == Self.schema else {
            throw HarnessError(source: file, field: "schema", value: "\(schema)", reason: "unsupported baseline schema (expected \"\(Self.schema)\")")
        }
        do {
            return try JSONDecoder().decode(ResultSet.self, from: data)
        } catch let e as DecodingError {
            let (field, reason) = Self.describe(e)
            throw HarnessError(source: file, field: field, reason: reason)
        }
    }

    private static func jsonErrorDetail(_ error: Error) -> String {
        let ns = error as NSError
        if let d = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return d }
        return ns.localizedDescription
    }

    private static func path(_ codingPath: [CodingKey]) -> String {
        var s = ""
        for k in codingPath {
            if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return s
    }

    private static func describe(_ e: DecodingError) -> (String, String) {
        switch e {
        case .keyNotFound(let key, let ctx):
            let p = path(ctx.codingPath + [key])
            return (p, "missing")
        case .typeMismatch(let type, let ctx):
            return (path(ctx.codingPath), "expected \(type)")
        case .valueNotFound(let type, let ctx):
            return (path(ctx.codingPath), "null where \(type) is expected")
        case .dataCorrupted(let ctx):
            return (path(ctx.codingPath), ctx.debugDescription)
        @unknown default:
            return ("", "\(e)")
        }
    }
}
