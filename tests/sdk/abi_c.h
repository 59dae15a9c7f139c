/* Functions of abi_c.c (a C99 translation unit), called from the C++ tests. */
#ifndef CONSILIUM_TESTS_SDK_ABI_C_H
#define CONSILIUM_TESTS_SDK_ABI_C_H
#include "consilium_plugin.h"
#ifdef __cplusplus
extern "C" {
#endif
/* sizeof("consilium_volume") or offsetof("consilium_volume.voxels") as the C compiler sees it;
 * (size_t)-1 for an unknown name. */
size_t sdk_c_layout(const char* field);
/* The entry point of a plugin written in C (named differently: one test binary, many plugins). */
const consilium_plugin* sdk_c_plugin_entry(uint32_t host_abi_version);
#ifdef __cplusplus
}
#endif
#endif
