import CCrypto

/// SHA-256 digests (OpenSSL's implementation), as lowercase hex.
enum SHA256 {
    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let status = digest.withUnsafeMutableBufferPointer { out in
            EVP_Digest(bytes.baseAddress, bytes.count, out.baseAddress, &length, EVP_sha256(), nil)
        }
        precondition(status == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func hex(_ parts: [String]) -> String {
        // Each part ends in a NUL, so ["ab", "c"] and ["a", "bc"] differ.
        var bytes = [UInt8]()
        for part in parts {
            bytes.append(contentsOf: part.utf8)
            bytes.append(0)
        }
        return bytes.withUnsafeBytes { hex($0) }
    }
}
