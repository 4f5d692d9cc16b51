import Foundation

/// How a profiled run is spawned: the profiler's program in front of the run's own, writing its raw data to
/// `rawPath`. Workloads are wrapped directly (`tool ... highwater __child ...`); external commands go through
/// `/bin/sh -c`, so the tool either wraps the shell (perf follows every child) or is `exec`ed in front of the
/// command's text (heaptrack records one process: the command's first program).
struct ProfiledSpawn: Sendable {
    let kind: ProfileKind
    /// The tool's arguments before the program's argv (argv[0] of the tool first).
    let toolArguments: [String]
    /// Where the tool writes its data (heaptrack appends `.zst` or `.gz`).
    let rawPath: String

    /// The request with the tool in front of the program.
    func wrap(_ request: SpawnRequest, isCommand: Bool) -> SpawnRequest {
        var r = request
        if isCommand && kind == .heap, request.arguments.count == 3 {
            // heaptrack's preload library follows one process: put it in front of the command's program, inside the
            // shell, so `prog args` (and `exec prog args`) are recorded rather than /bin/sh.
            let quoted = toolArguments.map(Self.shellQuote).joined(separator: " ")
            let command = request.arguments[2].trimmingCharacters(in: .whitespaces)
            let body = command.hasPrefix("exec ") ? String(command.dropFirst(5)) : command
            r.arguments = [request.arguments[0], request.arguments[1], "exec \(quoted) \(body)"]
            return r
        }
        r.executable = toolArguments[0]
        r.arguments = toolArguments + request.arguments
        return r
    }

    /// `'text'` with single quotes escaped, for /bin/sh.
    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
