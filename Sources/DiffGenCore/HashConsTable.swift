/// Open-addressing slots of node ids for hash-consing (linear probing, load factor at most 1/2).
///
/// Stores only `Int32` ids, so it costs at most 8 bytes per node; equality of keys is decided
/// by `Graph`, which compares the fields in the arena. The hash has no per-process seed.
struct HashConsTable {
    var slots: [Int32] = Array(repeating: -1, count: 16)
    var used = 0
    /// 64 − log2(slots.count): the hash's top bits pick the home slot (multiplicative hashing).
    var shift = 60

    var mask: Int { slots.count - 1 }

    /// True when one more entry would push the load factor past 1/2.
    var isFull: Bool { 2 * (used + 1) > slots.count }

    /// The home slot of a key.
    @inline(__always)
    func home(_ op: Op, _ a: Int32, _ b: Int32, _ c: Int32) -> Int {
        // Two odd 64-bit multipliers (from splitmix64); the product's top bits mix every field.
        let ab = UInt64(UInt32(bitPattern: a)) | (UInt64(UInt32(bitPattern: b)) << 32)
        let cop = UInt64(UInt32(bitPattern: c)) << 8 | UInt64(op.rawValue)
        let h = (ab &* 0x9E37_79B9_7F4A_7C15) ^ (cop &* 0xBF58_476D_1CE4_E5B9)
        return Int(truncatingIfNeeded: ((h ^ (h >> 29)) &* 0x94D0_49BB_1331_11EB) >> UInt64(shift))
    }

    /// Empties the table and sizes it for at least `entries` entries.
    mutating func clear(sizedFor entries: Int) {
        var capacity = 16, bits = 4
        while capacity < 2 * entries + 2 {
            capacity *= 2
            bits += 1
        }
        slots = Array(repeating: -1, count: capacity)
        shift = 64 - bits
        used = 0
    }

    /// Puts `id` in the first free slot of the probe sequence starting at `start`.
    mutating func place(_ id: Int32, from start: Int) {
        let mask = self.mask
        var i = start
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = id
        used += 1
    }

    /// Puts `id` in slot `i`, known to be free.
    mutating func fill(_ i: Int, with id: Int32) {
        slots[i] = id
        used += 1
    }
}
