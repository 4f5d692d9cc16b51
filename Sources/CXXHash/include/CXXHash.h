#ifndef HIGHWATER_CXXHASH_H
#define HIGHWATER_CXXHASH_H
// XXH3-64 from Debian's libxxhash-dev, inlined so hashing a value costs no call.
#define XXH_INLINE_ALL
#include <xxhash.h>
#endif
