/// Accumulates ASCII C text in a byte buffer: much cheaper than building `String`s piece by piece.
///
/// The bytes live in raw memory, not in an `Array`: generating C makes millions of small appends,
/// and an array's uniqueness and capacity checks cost several times the copy. The writer's fields
/// are plain struct fields (no class-property exclusivity checks per append); a class instance
/// only frees the memory. Copies of a writer must not both be written: use one variable or `inout`.
struct CWriter {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    private let owner: Owner

    init(capacity: Int = 0) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        owner = Owner(base)
    }

    mutating func write(text: String) {
        var text = text
        text.withUTF8 { append($0.baseAddress, $0.count) }
    }

    mutating func write(_ text: StaticString) {
        append(text.utf8Start, text.utf8CodeUnitCount)
    }

    mutating func write(_ value: Int) {
        // Digits into a small stack buffer, most significant first.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var magnitude = value.magnitude
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            append(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, buffer.count - start)
        }
    }

    mutating func write(bytes other: [UInt8]) {
        write(bytes: other, from: 0, to: other.count)
    }

    /// Appends `other[start..<end]`.
    mutating func write(bytes other: [UInt8], from start: Int, to end: Int) {
        other.withUnsafeBufferPointer { append($0.baseAddress.map { $0 + start }, end - start) }
    }

    /// Appends what another writer holds.
    mutating func write(contentsOf other: CWriter) {
        append(other.base, other.count)
    }

    /// Empties the writer, keeping its memory.
    mutating func reset() { count = 0 }

    /// The text written so far, as bytes.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    @inline(__always)
    private mutating func append(_ source: UnsafePointer<UInt8>?, _ length: Int) {
        guard let source, length > 0 else { return }
        if count &+ length > capacity { grow(to: count + length) }
        if length <= 16 {
            // Most pieces are a few bytes: a plain loop beats a call to memmove.
            for k in 0..<length { base[count &+ k] = source[k] }
        } else {
            (base + count).update(from: source, count: length)
        }
        count &+= length
    }

    private mutating func grow(to needed: Int) {
        let larger = Swift.max(2 * capacity, needed)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        (base, capacity) = (grown, larger)
        owner.base = grown
    }

    /// Frees the buffer when the last copy of the writer goes away.
    private final class Owner {
        var base: UnsafeMutablePointer<UInt8>
        init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }
        deinit { base.deallocate() }
    }
}
