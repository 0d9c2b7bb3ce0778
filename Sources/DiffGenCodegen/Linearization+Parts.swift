import DiffGenCore

extension Linearization {
    /// For each step, whether the value it computes is read by a step of another part
    /// (`partOf[i]`: the part of step i), so it must outlive its part's locals. Statements only.
    func valuesReadInAnotherPart(_ partOf: [Int32]) -> [Bool] {
        var crosses = [Bool](repeating: false, count: steps.count)
        var definedBy = [Int](repeating: -1, count: slotCount)
        func read(_ ref: Ref, at i: Int) {
            if case .slot(let slot) = ref, partOf[definedBy[Int(slot)]] != partOf[i] { crosses[definedBy[Int(slot)]] = true }
        }
        for (i, step) in steps.enumerated() {
            switch step {
            case .compute(_, let slot, let operands, _):
                for k in 0..<operands.count { read(operands[k], at: i) }
                definedBy[slot] = i
            case .store(_, _, let value): read(value, at: i)
            case .define: preconditionFailure("parts are made of statements, never of nested values")
            }
        }
        return crosses
    }
}
