internal import CLibXML2

/// What every KildeHTML parse shares, whether it builds a tree (``HTMLDocument``) or streams (``HTMLTableReader``):
/// libxml2's set-up, the parser options and the checks on the input, so both read the same bytes the same way.
enum LibXML {
    /// The options every parse uses: keep going on broken markup, print nothing, never fetch anything.
    static let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                               | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)

    /// libxml2's one-time global set-up, run before the first parse. A lazily initialised static `let` is
    /// initialised exactly once even when several threads parse at the same time, which `xmlInitParser` itself does
    /// not promise.
    private static let ready: Void = xmlInitParser()

    /// Calls `body` with the bytes as libxml2 reads them (copied only when the collection is not contiguous), after
    /// the checks every parse makes.
    /// - Returns: `body`'s result, or the ``HTMLError`` for input libxml2 cannot take: no bytes, more than 2 GiB, or
    ///   an encoding it does not know.
    static func withInput<T>(_ bytes: some Collection<UInt8>, encoding: String?,
                             _ body: (UnsafePointer<CChar>, Int32) -> Result<T, HTMLError>) -> Result<T, HTMLError> {
        func read(_ buffer: UnsafeRawBufferPointer) -> Result<T, HTMLError> {
            checked(buffer, encoding: encoding).flatMap { body($0, Int32(buffer.count)) }
        }
        let result = bytes.withContiguousStorageIfAvailable { read(UnsafeRawBufferPointer($0)) }
        return result ?? Array(bytes).withUnsafeBytes(read)
    }

    private static func checked(_ buffer: UnsafeRawBufferPointer, encoding: String?) -> Result<UnsafePointer<CChar>, HTMLError> {
        _ = ready
        guard buffer.count > 0, let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            return .failure(HTMLError(.empty, "no bytes to parse"))
        }
        guard buffer.count <= Int(Int32.max) else {
            return .failure(HTMLError(.tooLarge, "\(buffer.count) bytes; libxml2 reads at most \(Int32.max)"))
        }
        // libxml2 ignores an encoding it does not know and guesses instead; a wrong guess garbles every label, so
        // an unknown name is an error here. The handler is closed again (an iconv one is allocated).
        if let encoding {
            guard let handler = xmlFindCharEncodingHandler(encoding) else {
                return .failure(HTMLError(.unknownEncoding, "libxml2 does not know the encoding '\(encoding)'"))
            }
            xmlCharEncCloseFunc(handler)
        }
        return .success(base)
    }
}
