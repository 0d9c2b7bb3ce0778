#ifndef DIFFGEN_CLAPACK_SHIM_H
#define DIFFGEN_CLAPACK_SHIM_H
// LAPACK through LAPACKE (Debian liblapack-dev, liblapacke-dev), for the examples and for tests
// that check DiffGen's own linear algebra against it. Install with:
// apt-get install -y liblapack-dev liblapacke-dev
#include <lapacke.h>
#endif
