import Foundation

/// A thread running one closure; `join()` waits for it to end.
final class WorkerThread: Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let done = self.done
        let thread = Thread {
            body()
            done.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    func join() {
        done.wait()
        done.signal() // joinable again
    }
}
