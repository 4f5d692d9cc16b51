#if canImport(Glibc)
import Glibc
#endif

/// One column's growable buffers inside a `RecordBatchBuilder` (raw pointers; no ARC on the append path).
@usableFromInline
struct BuilderColumn {
    @usableFromInline let type: ColumnType
    @usableFromInline let nullable: Bool
    /// Bytes per row for fixed-width columns, 0 for utf8.
    @usableFromInline let width: Int
    @usableFromInline let isUTF8: Bool
    @usableFromInline var values: UnsafeMutableRawPointer?
    @usableFromInline var valueBytes: Int = 0
    @usableFromInline var valueCapacity: Int = 0
    @usableFromInline var offsets: UnsafeMutablePointer<Int32>?
    @usableFromInline var rowCapacity: Int = 0
    /// Allocated on the first null; bits of earlier rows are set.
    @usableFromInline var validity: UnsafeMutablePointer<UInt8>?
    @usableFromInline var length: Int = 0
    @usableFromInline var nullCount: Int = 0
    var lastBytesCapacity: Int = 0

    init(type: ColumnType, nullable: Bool) {
        self.type = type
        self.nullable = nullable
        self.width = type.fixedWidthBytes ?? 0
        self.isUTF8 = type.isUTF8
    }

    mutating func allocate(rows: Int, stringBytes: Int) {
        rowCapacity = rows
        length = 0
        nullCount = 0
        validity = nil
        valueBytes = 0
        // Blocks come from BufferPool.shared and go back to it when the batch's buffers die (often on an
        // encoder thread), so a builder refilled batch after batch allocates nothing in steady state.
        if isUTF8 {
            valueCapacity = max(stringBytes, 1)
            values = BufferPool.shared.allocate(valueCapacity)
            offsets = BufferPool.shared.allocate((rows + 1) * 4).assumingMemoryBound(to: Int32.self)
            offsets![0] = 0
        } else {
            valueCapacity = max(rows * width, 1)
            values = BufferPool.shared.allocate(valueCapacity)
            offsets = nil
        }
    }

    mutating func release() {
        if let values { free(values) }
        if let offsets { free(offsets) }
        if let validity { free(validity) }
        values = nil; offsets = nil; validity = nil
    }

    mutating func clear() {
        length = 0
        valueBytes = 0
        nullCount = 0
        if let validity { free(validity) }
        validity = nil
    }

    /// Moves the buffers into a ColumnData (ownership passes to ByteBuffers); the state is left empty.
    mutating func takeColumn() -> ColumnData {
        let valueBuffer = ByteBuffer(taking: values!, count: isUTF8 ? valueBytes : length * width,
                                     capacityBytes: valueCapacity, recycle: true)
        var offsetBuffer: ByteBuffer?
        if isUTF8 {
            offsetBuffer = ByteBuffer(taking: UnsafeMutableRawPointer(offsets!), count: (length + 1) * 4,
                                      capacityBytes: (rowCapacity + 1) * 4, recycle: true)
        }
        var validityBuffer: ByteBuffer?
        if let validity {
            let bytes = (length + 7) / 8
            if length & 7 != 0 { validity[bytes - 1] &= UInt8((1 << (length & 7)) - 1) }
            validityBuffer = ByteBuffer(taking: UnsafeMutableRawPointer(validity), count: bytes, capacityBytes: rowCapacity / 8 + 1)
        }
        lastBytesCapacity = valueCapacity
        let column = ColumnData(type: type, length: length, values: valueBuffer, offsets: offsetBuffer,
                                validity: validityBuffer, nullCount: nullCount)
        values = nil; offsets = nil; validity = nil
        valueBytes = 0; valueCapacity = 0; length = 0; nullCount = 0
        return column
    }

    @usableFromInline
    mutating func growRows() {
        let newRows = max(rowCapacity * 2, 16)
        if isUTF8 {
            offsets = reallocateBytes(UnsafeMutableRawPointer(offsets!), (newRows + 1) * 4).assumingMemoryBound(to: Int32.self)
        } else {
            values = reallocateBytes(values!, newRows * width)
            valueCapacity = newRows * width
        }
        if let v = validity {
            let old = rowCapacity / 8 + 1
            let new = newRows / 8 + 1
            let p = reallocateBytes(UnsafeMutableRawPointer(v), new).assumingMemoryBound(to: UInt8.self)
            memset(p + old, 0, new - old)
            validity = p
        }
        rowCapacity = newRows
    }

    @usableFromInline
    mutating func ensureBytes(_ more: Int) {
        let needed = valueBytes + more
        if needed <= valueCapacity { return }
        precondition(needed <= Int(Int32.max), "utf8 column larger than 2 GiB in one batch")
        var newCapacity = max(valueCapacity * 2, 64)
        while newCapacity < needed { newCapacity *= 2 }
        newCapacity = min(newCapacity, Int(Int32.max))
        values = reallocateBytes(values!, newCapacity)
        valueCapacity = newCapacity
    }

    @inlinable @inline(__always)
    mutating func markValid() {
        if let v = validity { v[length >> 3] |= 1 << UInt8(length & 7) }
    }

    @inlinable @inline(__always)
    mutating func appendFixed<T>(_ value: T) {
        if length == rowCapacity { growRows() }
        values!.storeBytes(of: value, toByteOffset: length &* MemoryLayout<T>.size, as: T.self)
        markValid()
        length &+= 1
    }

    @inlinable @inline(__always)
    mutating func appendFixedBytes(_ source: UnsafeRawPointer?, _ count: Int) {
        if length == rowCapacity { growRows() }
        if count > 0 { memcpy(values! + length &* width, source!, count) }
        markValid()
        length &+= 1
    }

    @inlinable @inline(__always)
    mutating func appendBytes(_ source: UnsafeRawPointer?, _ count: Int) {
        if length == rowCapacity { growRows() }
        if valueBytes &+ count > valueCapacity { ensureBytes(count) }
        if count > 0 { memcpy(values! + valueBytes, source!, count) }
        valueBytes &+= count
        markValid()
        length &+= 1
        offsets![length] = Int32(truncatingIfNeeded: valueBytes)
    }

    @inlinable @inline(__always)
    mutating func appendInPlace(maxBytes: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        if length == rowCapacity { growRows() }
        if valueBytes &+ maxBytes > valueCapacity { ensureBytes(maxBytes) }
        let written = write(values! + valueBytes)
        precondition(written >= 0 && written <= maxBytes, "appendUTF8 writer returned \(written) for room \(maxBytes)")
        valueBytes &+= written
        markValid()
        length &+= 1
        offsets![length] = Int32(truncatingIfNeeded: valueBytes)
    }

    mutating func appendNull() {
        if length == rowCapacity { growRows() }
        if validity == nil {
            let bytes = rowCapacity / 8 + 1
            let p = allocateBytes(bytes).assumingMemoryBound(to: UInt8.self)
            memset(p, 0, bytes)
            for r in 0..<length { p[r >> 3] |= 1 << UInt8(r & 7) }
            validity = p
        }
        // validity bit stays 0
        if isUTF8 {
            length += 1
            offsets![length] = Int32(valueBytes)
        } else {
            memset(values! + length * width, 0, width)
            length += 1
        }
        nullCount += 1
    }
}
