import Foundation

/// Where `../shared` is: beside the package root, found from this file's path.
public enum FixturePaths {
    public static var shared: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
        }
        return url.deletingLastPathComponent().appendingPathComponent("shared")
    }
}
