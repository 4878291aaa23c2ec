// The declaration in include/CLibFuzzer.h is the whole module; libFuzzer's runtime defines the function.
#include "CLibFuzzer.h"
