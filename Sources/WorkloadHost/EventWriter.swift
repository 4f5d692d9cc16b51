import Foundation
import CAllocStats
import RunContract
import Workloads

/// Writes event lines to the inherited events descriptor, whole lines at a time (retrying short writes).
struct EventWriter: Sendable {
    let fd: Int32

    func emit(_ event: EventLine) {
        guard fd >= 0, let text = event.childLine else { return }
        var line = text + "\n"
        line.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
    }
}
