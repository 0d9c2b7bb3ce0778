#ifndef DIFFGEN_CCRYPTO_SHIM_H
#define DIFFGEN_CCRYPTO_SHIM_H
// OpenSSL's libcrypto (Debian libssl-dev), for SHA-256. Install with: apt-get install -y libssl-dev
#include <openssl/evp.h>
#endif
