#ifndef KILDE_CLIBFUZZER_H
#define KILDE_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for a program that has its own main (SwiftPM gives every executable one): parses libFuzzer's
/// flags from argc/argv and calls `callback` with each input. Provided by -sanitize=fuzzer's runtime.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
