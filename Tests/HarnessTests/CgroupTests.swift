import XCTest
@testable import Harness

/// When runs get their own cgroup v2, and the run cgroup's files, on synthetic inputs and plain directories: these
/// tests never create, join or change a real cgroup (the machines that run them forbid it).
final class CgroupTests: XCTestCase {
    let v2Only = "30 1 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
    let hybrid = """
        35 25 0:30 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        40 25 0:35 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    func probe(_ mountinfo: String, cgroup: String = "0::/ci/job\n", override: String? = nil, files: [String: String],
               writable: Bool = true) -> CgroupProbe {
        CgroupProbe.probe(mountinfo: mountinfo, selfCgroup: cgroup, override: override, read: { files[$0] },
                          isWritable: { _ in writable })
    }

    func testADelegatedWritableParentIsUsed() {
        let files = ["/sys/fs/cgroup/ci/job/cgroup.controllers": "cpu io memory pids\n",
                     "/sys/fs/cgroup/ci/job/cgroup.subtree_control": "memory pids\n"]
        XCTAssertEqual(probe(v2Only, files: files), .available(parent: "/sys/fs/cgroup/ci/job"))
        // The root cgroup of the mount.
        let root = ["/sys/fs/cgroup/cgroup.controllers": "memory", "/sys/fs/cgroup/cgroup.subtree_control": "memory"]
        XCTAssertEqual(probe(v2Only, cgroup: "0::/\n", files: root), .available(parent: "/sys/fs/cgroup"))
        // HIGHWATER_CGROUP names another parent below the mount.
        let named = ["/sys/fs/cgroup/user/hw/cgroup.controllers": "memory", "/sys/fs/cgroup/user/hw/cgroup.subtree_control": "memory"]
        XCTAssertEqual(probe(v2Only, override: "/sys/fs/cgroup/user/hw", files: named), .available(parent: "/sys/fs/cgroup/user/hw"))
    }

    func testEveryOtherMachineFallsBackWithItsReason() {
        func reason(_ p: CgroupProbe) -> String {
            if case .unavailable(let r) = p { return r }
            XCTFail("expected unavailable, got \(p)")
            return ""
        }
        // This kind of VM: memory on cgroup v1, an empty v2 hierarchy beside it.
        let vm = reason(probe(hybrid, cgroup: "4:memory:/process_api/x\n0::/\n", files: ["/sys/fs/cgroup/unified/cgroup.controllers": "hugetlb\n"]))
        XCTAssertTrue(vm.contains("not available in /sys/fs/cgroup/unified") && vm.contains("cgroup v1 at /sys/fs/cgroup/memory"), vm)
        XCTAssertTrue(reason(probe("", files: [:])).contains("no cgroup2"))
        XCTAssertTrue(reason(probe(v2Only, cgroup: "4:memory:/x\n", files: [:])).contains("no 0:: line"))
        let notDelegated = ["/sys/fs/cgroup/ci/job/cgroup.controllers": "memory", "/sys/fs/cgroup/ci/job/cgroup.subtree_control": "pids"]
        XCTAssertTrue(reason(probe(v2Only, files: notDelegated)).contains("does not delegate memory"))
        let delegated = ["/sys/fs/cgroup/ci/job/cgroup.controllers": "memory", "/sys/fs/cgroup/ci/job/cgroup.subtree_control": "memory"]
        XCTAssertTrue(reason(probe(v2Only, files: delegated, writable: false)).contains("not writable"))
        XCTAssertTrue(reason(probe(v2Only, override: "off", files: delegated)).contains("turned off"))
        XCTAssertTrue(reason(probe(v2Only, override: "/tmp/x", files: delegated)).contains("not below a cgroup2 mount"))
    }

    func testMountPointsWithSpacesAreUnescaped() {
        let m = CgroupProbe.Mount.parse("30 1 0:26 / /mnt/cg\\040two rw - cgroup2 cgroup2 rw\n")
        XCTAssertEqual(m.first?.point, "/mnt/cg two")
    }

    /// On the machine the tests run on: where the current cgroup's controllers lack memory, nothing is used.
    func testThisMachineIsProbedWithoutChangingAnything() throws {
        let probe = CgroupProbe.current(environment: [:])
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        if !mountinfo.contains(" - cgroup2 ") {
            guard case .unavailable = probe else { return XCTFail("no cgroup2 mount, yet \(probe)") }
        }
        if case .available(let parent) = probe {
            let subtree = try String(contentsOfFile: parent + "/cgroup.subtree_control", encoding: .utf8)
            XCTAssertTrue(subtree.contains("memory"), "available only where memory is delegated: \(parent)")
        }
        XCTAssertFalse(probe.summary.isEmpty)
    }

    func testARunCgroupReadsItsFilesAndIsRemoved() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-cg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "123456789\n".write(to: dir.appendingPathComponent("memory.current"), atomically: true, encoding: .utf8)
        try "987654321\n".write(to: dir.appendingPathComponent("memory.peak"), atomically: true, encoding: .utf8)
        try "17\n4242\n".write(to: dir.appendingPathComponent("cgroup.procs"), atomically: true, encoding: .utf8)
        let cg = RunCgroup(existing: dir.path)
        XCTAssertEqual(cg.currentBytes(), 123_456_789)
        XCTAssertEqual(cg.peakBytes(), 987_654_321)
        XCTAssertTrue(cg.contains(4242))
        XCTAssertFalse(cg.contains(424))
        // A directory that still holds files is not a cgroup the kernel would let go: the reason, not a crash.
        XCTAssertNotNil(cg.remove(timeoutMs: 0))
        for f in ["memory.current", "memory.peak", "cgroup.procs"] { try FileManager.default.removeItem(at: dir.appendingPathComponent(f)) }
        XCTAssertNil(cg.remove())
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path))
        XCTAssertNil(cg.remove(), "already gone")
    }

    func testAParentWithoutMemoryPeakIsLeftAsItWas() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("hw-cgp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        XCTAssertThrowsError(try RunCgroup(parent: parent.path, name: "run")) { e in
            XCTAssertTrue("\(e)".contains("memory.peak"), "\(e)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), [], "the run's directory was removed again")
    }

    func testProcessSeriesKeepsWholeSamplesWhenItFills() {
        let s = ProcessSeries(capacity: 8)
        for sample in 0..<10 {
            s.beginSample()
            for pid: Int32 in 1...3 { s.record(tNs: UInt64(sample), pid: pid, bytes: Int64(sample) * 10 + Int64(pid)) }
        }
        XCTAssertLessThanOrEqual(s.count, 8)
        var bySample: [UInt64: [Int32]] = [:]
        for i in 0..<s.count { bySample[s.times[i], default: []].append(s.pids[i]) }
        // Every kept sample is whole (all three processes), and the kept samples are evenly strided.
        XCTAssertTrue(bySample.values.allSatisfy { $0 == [1, 2, 3] }, "\(bySample)")
        XCTAssertEqual(bySample.keys.sorted(), [0, 8])
        XCTAssertEqual(s.rssBytes[s.count - 1], 83)
    }
}
