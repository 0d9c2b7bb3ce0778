#ifndef DIFFGEN_CTCC_SHIM_H
#define DIFFGEN_CTCC_SHIM_H
// libtcc 0.9.27 (Debian libtcc-dev). Install with: apt-get install -y libtcc-dev tcc
#include <libtcc.h>
#endif
