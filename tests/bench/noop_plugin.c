/* The plugin of plugin_bench: does no work (reads one voxel, so the volume must be mapped) and
 * emits one trivial finding, so a run's cost is the host's alone. */
#include "consilium_plugin.h"

#include <stdio.h>

static consilium_status run(const consilium_host* h) {
    char json[256];
    int first = 0;
    if (h->volume && h->volume->pixel_type == CONSILIUM_PIXEL_INT16)
        first = ((const int16_t*)h->volume->voxels)[0];
    snprintf(json, sizeof json,
             "{\"suggestions\":[{\"kind\":\"finding\",\"confidence\":0.5,\"summary\":\"no-op (first voxel %d)\","
             "\"rationale\":\"benchmark\"}]}",
             first);
    h->progress(h->host, 1.0);
    return h->emit_suggestions(h->host, json);
}

static const consilium_plugin table = {
    CONSILIUM_PLUGIN_ABI_VERSION, sizeof(consilium_plugin), "org.consilium.bench.noop", "1.0.0", "noop-1", run, NULL};

CONSILIUM_PLUGIN_EXPORT const consilium_plugin* consilium_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &table;
}
