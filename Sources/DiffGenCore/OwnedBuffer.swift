/// A fixed-size buffer owned by a class instance, freed with it. Indexing its `base` pointer
/// involves no reference counting or uniqueness checks, so hot loops over it never allocate.
final class OwnedBuffer<Element> {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(count: Int, value: Element) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: max(count, 1))
    }

    init(_ elements: [Element]) {
        count = elements.count
        base = .allocate(capacity: max(count, 1))
        for (k, element) in elements.enumerated() { (base + k).initialize(to: element) }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

/// Where each input entry is written and each output entry read, as flat buffers:
/// entries of input i are `inputSlots[inputStart[i] ..< inputStart[i+1]]` (slot -1: unused).
struct SlotLayout {
    let inputSlots: OwnedBuffer<Int32>
    let inputStart: OwnedBuffer<Int>
    let outputSlots: OwnedBuffer<Int32>
    let outputStart: OwnedBuffer<Int>

    init(_ program: Program) {
        inputSlots = OwnedBuffer(program.inputSlots.flatMap { $0 })
        inputStart = OwnedBuffer(program.inputSlots.reduce(into: [0]) { $0.append($0.last! + $1.count) })
        outputSlots = OwnedBuffer(program.outputSlots.flatMap { $0 })
        outputStart = OwnedBuffer(program.outputSlots.reduce(into: [0]) { $0.append($0.last! + $1.count) })
    }
}
