/* Compiled as C99 with -pedantic -Werror: proves consilium_plugin.h is plain C, pins the ABI
 * layout from the C compiler's side, and holds a small plugin written in C (no C++ at all). */
#include "consilium_plugin.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "abi_c.h"

/* Compile-time pins on x86_64 (C99 has no _Static_assert: a negative array size fails). */
#define PIN(name, cond) typedef char pin_##name[(cond) ? 1 : -1]
#if defined(__x86_64__)
PIN(volume_size, sizeof(consilium_volume) == 168);
PIN(host_size, sizeof(consilium_host) == 72);
PIN(plugin_size, sizeof(consilium_plugin) == 48);
PIN(volume_voxels, offsetof(consilium_volume, voxels) == 144);
PIN(host_work_dir, offsetof(consilium_host, work_dir) == 64);
PIN(plugin_shutdown, offsetof(consilium_plugin, shutdown) == 40);
#endif
PIN(enum_pixel, sizeof(consilium_pixel_type) == 4);
PIN(enum_log, sizeof(consilium_log_level) == 4);
PIN(enum_status, sizeof(consilium_status) == 4);
PIN(abi_first_volume, offsetof(consilium_volume, abi_version) == 0);
PIN(abi_first_host, offsetof(consilium_host, abi_version) == 0);
PIN(abi_first_plugin, offsetof(consilium_plugin, abi_version) == 0);

size_t sdk_c_layout(const char* field) {
#define F(s, m) if (strcmp(field, #s "." #m) == 0) return offsetof(s, m)
#define S(s) if (strcmp(field, #s) == 0) return sizeof(s)
    S(consilium_volume); S(consilium_host); S(consilium_plugin);
    S(consilium_pixel_type); S(consilium_log_level); S(consilium_status);
    F(consilium_volume, abi_version); F(consilium_volume, struct_size); F(consilium_volume, dims);
    F(consilium_volume, pixel_type); F(consilium_volume, spacing_mm); F(consilium_volume, origin_lps);
    F(consilium_volume, direction); F(consilium_volume, voxels); F(consilium_volume, modality);
    F(consilium_volume, series_uid);
    F(consilium_host, abi_version); F(consilium_host, struct_size); F(consilium_host, host);
    F(consilium_host, log); F(consilium_host, progress); F(consilium_host, is_cancelled);
    F(consilium_host, emit_suggestions); F(consilium_host, context_json); F(consilium_host, volume);
    F(consilium_host, work_dir);
    F(consilium_plugin, abi_version); F(consilium_plugin, struct_size); F(consilium_plugin, id);
    F(consilium_plugin, version); F(consilium_plugin, model_version); F(consilium_plugin, run);
    F(consilium_plugin, shutdown);
#undef F
#undef S
    return (size_t)-1;
}

/* A plugin in C: sums the voxels of an int16 volume and reports the mean as a finding. */
static consilium_status c_run(const consilium_host* h) {
    char json[256];
    const consilium_volume* v;
    long long sum = 0;
    size_t n, i;
    if (h == NULL || h->abi_version < 1 || h->struct_size < sizeof(consilium_host)) return CONSILIUM_STATUS_INVALID_ARGUMENT;
    v = h->volume;
    if (v == NULL || v->pixel_type != CONSILIUM_PIXEL_INT16) {
        h->log(h->host, CONSILIUM_LOG_ERROR, "c plugin: needs an int16 volume");
        return CONSILIUM_STATUS_UNSUPPORTED;
    }
    n = (size_t)v->dims[0] * (size_t)v->dims[1] * (size_t)v->dims[2];
    for (i = 0; i < n; ++i) {
        if (h->is_cancelled(h->host)) return CONSILIUM_STATUS_CANCELLED;
        sum += ((const int16_t*)v->voxels)[i];
    }
    h->progress(h->host, 1.0);
    /* sprintf is C99; the text is ASCII and needs no escaping. */
    sprintf(json, "{\"suggestions\":[{\"kind\":\"finding\",\"confidence\":null,\"summary\":\"mean %lld\","
                  "\"rationale\":\"sum over %lu voxels\",\"evidence\":[]}]}",
            sum / (long long)n, (unsigned long)n);
    return h->emit_suggestions(h->host, json);
}

static const consilium_plugin c_plugin = {
    CONSILIUM_PLUGIN_ABI_VERSION, sizeof(consilium_plugin), "org.example.c", "1.0.0", "c-1", c_run, NULL};

const consilium_plugin* sdk_c_plugin_entry(uint32_t host_abi_version) {
    return host_abi_version >= 1u ? &c_plugin : NULL;
}
