import FuzzSupport

LibFuzzer.run { data, size in
    guard let data else { return 0 }
    return requestFuzz(data, size)
}
