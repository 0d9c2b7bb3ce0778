/// Accumulates ASCII C text in a byte buffer: much cheaper than building `String`s piece by piece.
struct CWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func write(text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            write(UInt(value.magnitude))
        } else {
            write(UInt(value))
        }
    }

    private mutating func write(_ value: UInt) {
        if value >= 10 { write(value / 10) }  // at most 20 levels: digits, not graph depth
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    mutating func write(bytes other: [UInt8]) { bytes.append(contentsOf: other) }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
