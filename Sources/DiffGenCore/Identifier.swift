/// The names DiffGen accepts for functions and their inputs and outputs: C identifiers (ASCII
/// letters, digits and underscores, not starting with a digit), so a name can become a C symbol
/// or stand in a comment or a string of generated code as it is.
public enum Identifier {
    /// Why `name` is not an identifier, or nil when it is one.
    public static func problem(_ name: String) -> String? {
        guard let first = name.utf8.first else { return "it is empty" }
        func isLetter(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 }
        guard isLetter(first) else { return "it must start with a letter or underscore" }
        guard name.utf8.allSatisfy({ isLetter($0) || ($0 >= 48 && $0 <= 57) }) else {
            return "only ASCII letters, digits and underscores are allowed"
        }
        return nil
    }
}
